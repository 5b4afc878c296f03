import{r as x,j as e,m as ge}from"./react-DvMe2k-3.js";import{n as y,a as C,e as P,B as D,T as ee,k as v,f as w,b as L,al as S,ap as W,aj as O,ah as I,ak as M,S as _,I as fe,ao as je,an as te,D as f,am as be,d as Ie,l as ye,as as Ce,i as Re,at as ve}from"./index-D9y_8fwR.js";import{E as T}from"./ErrorAlert-CXk-sniI.js";import{E as $,S as De,R as Se}from"./ScopePicker-DquZIeNb.js";import{F as K}from"./Table-4vjShmdK.js";import{H as ne,h as se}from"./HolderFields-DdaSdcY4.js";import{s as we}from"./sectors-AQDXNRwP.js";import{M as z}from"./index-BrdsfWYW.js";import{R as H}from"./index-DGAZ7x6-.js";import{C as Te}from"./index-RwzfDQ0l.js";import{D as Ee,B as ke}from"./index-CReCpYSR.js";import"./index-D2awatxo.js";import"./useBubbleLock-VaJzLZCH.js";y(`
  fragment AccountRow on Account {
    id
    role
    status
    disabledReason
    disabledAt
    lastActiveAt
    createdAt
    sector
    holderCode
    scopeRegion {
      id
      code
      name
    }
    scopeSite {
      id
      name
      region {
        id
        name
      }
    }
    holder {
      id
      name
      phoneMasked
    }
    superior {
      id
    }
  }
`);const Ne=new Set(["INITIATOR","SENIOR","INTERMEDIATE"]),$e=y(`
  query AccountSubordinates($id: ID!, $after: Cursor) {
    node(id: $id) {
      ... on Account {
        id
        subordinates(first: 50, after: $after, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
          edges {
            node {
              ...AccountRow
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`),oe=x.createContext(null);function F(t){var c;return t.scopeSite?`${t.scopeSite.name} · ${t.scopeSite.region.name}`:((c=t.scopeRegion)==null?void 0:c.name)??""}function Q({a:t}){if(t.status==="ACTIVE")return e.jsx(ee,{color:"green",children:v("AccountStatus","ACTIVE")});const c=t.disabledReason==="PENDING_CONSENT";return e.jsxs(w,{size:4,wrap:!0,children:[e.jsx(ee,{color:c?"gold":"red",children:v("AccountStatus","DISABLED")}),e.jsx($,{of:"AccountDisabledReason",value:t.disabledReason,color:c?"gold":void 0})]})}function ce(){const{t}=C(),c=L(),o=x.useContext(oe);return[{title:t("accounts.account"),key:"account",render:(s,n)=>e.jsxs(w,{direction:"vertical",size:0,children:[e.jsx($,{of:"AccountRole",value:n.role,color:"blue"}),e.jsx(S.Text,{type:"secondary",style:{fontSize:12},children:F(n)})]})},{title:t("accounts.holder"),key:"holder",render:(s,n)=>n.holder?e.jsxs(w,{direction:"vertical",size:0,children:[e.jsx("span",{children:n.holder.name}),e.jsx(S.Text,{type:"secondary",style:{fontSize:12},children:n.holder.phoneMasked})]}):e.jsx(S.Text,{type:"secondary",children:t("accounts.holderHidden")})},{title:t("accounts.status"),key:"status",render:(s,n)=>e.jsx(Q,{a:n})},{title:t("accounts.lastActive"),key:"lastActive",responsive:["md"],render:(s,n)=>n.lastActiveAt?W(n.lastActiveAt).format("YYYY-MM-DD HH:mm"):t("accounts.never")},{title:t("common.actions"),key:"actions",render:(s,n)=>{var i;const m=n.status==="DISABLED"&&n.disabledReason!=="PENDING_CONSENT"&&((i=n.superior)==null?void 0:i.id)===o.actingId&&c.can("account","activate");return e.jsxs(w,{size:0,wrap:!0,children:[e.jsx(D,{type:"link",size:"small",onClick:()=>o.details(n),children:t("accounts.details")}),c.can(`account:${n.role}`,"replace")&&e.jsx(D,{type:"link",size:"small",onClick:()=>o.replace(n),children:t("accounts.replace")}),n.status==="ACTIVE"&&c.can("account","disable")&&e.jsx(D,{type:"link",size:"small",danger:!0,onClick:()=>o.disable(n),children:t("accounts.disable")}),m&&e.jsx(D,{type:"link",size:"small",onClick:()=>o.activate(n),children:t("accounts.activate")})]})}}]}function ae({parentId:t,version:c=0}){var r;const{t:o}=C(),s=ce(),[n,m]=x.useState(null),[i,p]=P({query:$e,variables:{id:t,after:n}});x.useEffect(()=>{c>0&&p({requestPolicy:"network-only"})},[c,p]);const h=(r=i.data)==null?void 0:r.node,l=h&&"subordinates"in h?h.subordinates:null,a=((l==null?void 0:l.edges)??[]).flatMap(d=>d!=null&&d.node?[d.node]:[]);return e.jsxs(e.Fragment,{children:[e.jsx(T,{error:i.error}),e.jsx(K,{rowKey:"id",size:"small",loading:i.fetching&&!i.data,columns:s,dataSource:a,pagination:!1,scroll:{x:"max-content"},locale:{emptyText:o("accounts.noSubordinates")},expandable:{rowExpandable:d=>Ne.has(d.role),expandedRowRender:d=>e.jsx(ae,{parentId:d.id})}}),(l==null?void 0:l.pageInfo.hasNextPage)&&e.jsx(D,{style:{marginTop:8},onClick:()=>m(l.pageInfo.endCursor??null),children:o("accounts.more")})]})}const Pe=y(`
  mutation CreateAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      ...AccountRow
    }
  }
`),Oe=y(`
  mutation ReplaceAccount($id: ID!, $holder: HolderInput!, $reason: String) {
    replaceAccount(id: $id, holder: $holder, reason: $reason) {
      ...AccountRow
    }
  }
`),Me=["INTERMEDIATE","ORDINARY","OFFICIAL","GRID_WORKER"],G=t=>t==="ORDINARY"||t==="INTERMEDIATE";function Fe({open:t,onClose:c,onCreated:o,initiator:s}){const{t:n}=C(),{message:m}=O.useApp(),i=L(),[p]=I.useForm(),h=I.useWatch("role",p),[{fetching:l,error:a},r]=M(Pe),[d,j]=x.useState(!1),g=Me.filter(u=>i.canCreateAccount(u)),A=async u=>{var k;j(!0);const b=G(u.role)&&u.siteId?u.siteId:u.regionId,E=await r({input:{role:u.role,scopeId:b??"",holder:se(u.holder),sector:u.role==="OFFICIAL"?u.sector??null:null}});if(!E.error){const N=(k=E.data)==null?void 0:k.createAccount;m.success((N==null?void 0:N.disabledReason)==="PENDING_CONSENT"?n("accounts.createdPending"):n("accounts.created")),p.resetFields(),j(!1),o()}};return e.jsxs(z,{open:t,title:n("accounts.create"),onCancel:c,onOk:()=>p.submit(),okText:n("common.create"),confirmLoading:l,destroyOnClose:!0,forceRender:!0,children:[d&&e.jsx(T,{error:a}),e.jsxs(I,{form:p,layout:"vertical",onFinish:A,initialValues:{role:g.includes("ORDINARY")?"ORDINARY":g[0]},children:[e.jsx(I.Item,{name:"role",label:n("accounts.role"),rules:[{required:!0,message:n("accounts.required")}],children:e.jsx(_,{options:g.map(u=>({value:u,label:v("AccountRole",u)}))})}),h&&G(h)?e.jsx(I.Item,{name:"siteId",label:n("accounts.scopeSite"),rules:[{required:h==="ORDINARY",message:n("accounts.required")}],children:e.jsx(De,{})}):null,h&&!G(h)?e.jsx(I.Item,{name:"regionId",label:n("accounts.scopeRegion"),rules:[{required:!0,message:n("accounts.required")}],children:e.jsx(Se,{})}):null,h==="OFFICIAL"&&e.jsx(I.Item,{name:"sector",label:n("accounts.sector"),children:e.jsx(_,{allowClear:!0,options:we.map(u=>({value:u,label:v("Sector",u)}))})}),e.jsx(ne,{passwordRequired:!s})]})]})}function qe({account:t,onClose:c,initiator:o}){const{t:s}=C(),{message:n}=O.useApp(),[m]=I.useForm(),[{fetching:i,error:p},h]=M(Oe),[l,a]=x.useState(!1);if(!t)return null;const r=`${v("AccountRole",t.role)} · ${F(t)}`,d=async j=>{var A,u,b;a(!0);const g=await h({id:t.id,holder:se(j.holder),reason:((A=j.reason)==null?void 0:A.trim())||null});g.error||(n.success(((b=(u=g.data)==null?void 0:u.replaceAccount)==null?void 0:b.disabledReason)==="PENDING_CONSENT"?s("accounts.createdPending"):s("accounts.replaced")),a(!1),c())};return e.jsxs(z,{open:!0,title:s("accounts.replaceTitle",{account:r}),onCancel:c,onOk:()=>m.submit(),confirmLoading:i,destroyOnClose:!0,children:[e.jsx("p",{children:s("accounts.replaceHint")}),l&&e.jsx(T,{error:p}),e.jsxs(I,{form:m,layout:"vertical",onFinish:d,children:[e.jsx(ne,{passwordRequired:!o}),e.jsx(I.Item,{name:"reason",label:s("accounts.reason"),children:e.jsx(fe.TextArea,{maxLength:500,rows:2})})]})]})}const _e=y(`
  mutation DisableAccount($id: ID!, $cascade: Boolean!) {
    disableAccount(id: $id, cascade: $cascade) {
      account {
        ...AccountRow
      }
      changed {
        ...AccountRow
      }
    }
  }
`),re=y(`
  mutation ActivateAccount($id: ID!, $cascade: Boolean!) {
    activateAccount(id: $id, cascade: $cascade) {
      account {
        ...AccountRow
      }
      changed {
        ...AccountRow
      }
    }
  }
`),Le=y(`
  query DerivedAccounts($id: ID!) {
    node(id: $id) {
      ... on Account {
        id
        subordinates(first: 50) {
          edges {
            node {
              id
              status
              subordinates(first: 50) {
                edges {
                  node {
                    id
                    status
                    subordinates(first: 50) {
                      edges {
                        node {
                          id
                          status
                        }
                      }
                      pageInfo {
                        hasNextPage
                        endCursor
                      }
                    }
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);function ie(t){let c=0,o=!!(t!=null&&t.pageInfo.hasNextPage);for(const s of(t==null?void 0:t.edges)??[]){if(!(s!=null&&s.node))continue;s.node.status==="ACTIVE"&&c++;const n=ie(s.node.subordinates);c+=n.active,o||(o=n.more)}return{active:c,more:o}}const le=t=>`${v("AccountRole",t.role)} · ${F(t)}${t.holder?` · ${t.holder.name}`:""}`;function ze({account:t,onClose:c}){var g;const{t:o}=C(),{message:s}=O.useApp(),[n,m]=x.useState(!1),[i]=P({query:Le,variables:{id:t.id},requestPolicy:"network-only"}),[{fetching:p,error:h},l]=M(_e),a=(g=i.data)==null?void 0:g.node,r=a&&"subordinates"in a?ie(a.subordinates):void 0,d=r==null?void 0:r.active,j=async()=>{var u,b;const A=await l({id:t.id,cascade:n});A.error||(s.success(o("accounts.disabled",{count:((b=(u=A.data)==null?void 0:u.disableAccount)==null?void 0:b.changed.length)??1})),c())};return e.jsxs(z,{open:!0,title:o("accounts.disableTitle",{account:le(t)}),onCancel:c,onOk:j,okText:o("accounts.disable"),okButtonProps:{danger:!0,disabled:n&&d===void 0},confirmLoading:p,children:[e.jsx(T,{error:h??i.error}),e.jsx(H.Group,{value:n,onChange:A=>m(A.target.value),children:e.jsxs(w,{direction:"vertical",children:[e.jsx(H,{value:!1,children:o("accounts.disableAlone")}),e.jsx(H,{value:!0,children:o("accounts.disableCascade")})]})}),e.jsx("div",{style:{marginTop:16},"data-testid":"disable-count",children:n&&d===void 0?e.jsx(je,{size:"small",tip:o("accounts.counting"),children:e.jsx("div",{style:{height:24}})}):e.jsx(te,{type:"warning",showIcon:!0,message:n?o(r!=null&&r.more?"accounts.disableCountAtLeast":"accounts.disableCount",{count:(d??0)+1,derived:d??0}):o("accounts.disableCountAlone")})})]})}function Ye({account:t,onClose:c}){const{t:o}=C(),{message:s}=O.useApp(),[n,m]=x.useState(!0),[{fetching:i,error:p},h]=M(re),l=async()=>{var r,d;const a=await h({id:t.id,cascade:n});a.error||(s.success(o("accounts.activated",{count:((d=(r=a.data)==null?void 0:r.activateAccount)==null?void 0:d.changed.length)??1})),c())};return e.jsxs(z,{open:!0,title:o("accounts.activateTitle",{account:le(t)}),onCancel:c,onOk:l,okText:o("accounts.activate"),confirmLoading:i,children:[e.jsx(T,{error:p}),e.jsx(Te,{checked:n,onChange:a=>m(a.target.checked),children:o("accounts.activateCascade")})]})}function Be(){return M(re)}const V=t=>t?W(t).format("YYYY-MM-DD HH:mm"):"—";function He({account:t,onClose:c}){const{t:o}=C();if(!t)return null;const s=t;return e.jsxs(Ee,{open:!0,onClose:c,title:o("accounts.details"),width:Math.min(520,window.innerWidth),children:[s.disabledReason==="PENDING_CONSENT"&&e.jsx(te,{type:"warning",showIcon:!0,style:{marginBottom:16},message:o("accounts.pendingConsentNote")}),e.jsxs(f,{column:1,size:"small",bordered:!0,children:[e.jsx(f.Item,{label:o("accounts.role"),children:e.jsx($,{of:"AccountRole",value:s.role,color:"blue"})}),e.jsx(f.Item,{label:o("accounts.scope"),children:F(s)}),s.sector&&e.jsx(f.Item,{label:o("accounts.sector"),children:e.jsx($,{of:"Sector",value:s.sector})}),e.jsx(f.Item,{label:o("accounts.holder"),children:s.holder?`${s.holder.name} · ${s.holder.phoneMasked}`:e.jsx(S.Text,{type:"secondary",children:o("accounts.holderHidden")})}),e.jsx(f.Item,{label:o("accounts.holderCode"),children:e.jsx($,{of:"HolderCode",value:s.holderCode})}),e.jsx(f.Item,{label:o("accounts.status"),children:e.jsx(Q,{a:s})}),s.disabledAt&&e.jsx(f.Item,{label:o("accounts.disabledAt"),children:V(s.disabledAt)}),e.jsx(f.Item,{label:o("accounts.lastActive"),children:s.lastActiveAt?V(s.lastActiveAt):o("accounts.never")}),e.jsx(f.Item,{label:o("accounts.createdAt"),children:V(s.createdAt)}),e.jsx(f.Item,{label:o("accounts.sms"),children:e.jsx(S.Text,{type:"secondary",children:o("accounts.smsHint")})})]})]})}const Ge=y(`
  query PendingReactivations {
    pendingReactivations(first: 100) {
      totalCount
      edges {
        node {
          id
          status
          note
          createdAt
          account {
            ...AccountRow
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);function de(){return P({query:Ge,requestPolicy:"cache-and-network"})}function Ve(){var l;const{t}=C(),{message:c}=O.useApp(),o=L(),[s,n]=de(),[{fetching:m},i]=Be(),p=(((l=s.data)==null?void 0:l.pendingReactivations.edges)??[]).flatMap(a=>a!=null&&a.node?[a.node]:[]),h=async a=>{var d;const r=await i({id:a.account.id,cascade:!0});r.error?c.error(be(r.error)):(c.success(t("accounts.activated",{count:((d=r.data)==null?void 0:d.activateAccount.changed.length)??1})),n({requestPolicy:"network-only"}))};return e.jsxs(e.Fragment,{children:[e.jsx(T,{error:s.error}),e.jsx(K,{rowKey:"id",size:"small",loading:s.fetching&&!s.data,dataSource:p,pagination:!1,scroll:{x:"max-content"},locale:{emptyText:t("accounts.inboxEmpty")},columns:[{title:t("accounts.account"),key:"a",render:(a,r)=>`${v("AccountRole",r.account.role)} · ${F(r.account)}`},{title:t("accounts.holder"),key:"h",render:(a,r)=>r.account.holder?`${r.account.holder.name} · ${r.account.holder.phoneMasked}`:"—"},{title:t("accounts.status"),key:"s",render:(a,r)=>e.jsx(Q,{a:r.account})},{title:t("accounts.note"),dataIndex:"note",key:"n"},{title:t("accounts.requestedAt"),key:"c",render:(a,r)=>W(r.createdAt).format("YYYY-MM-DD HH:mm")},{title:t("common.actions"),key:"x",render:(a,r)=>o.can("account","activate")&&e.jsx(D,{type:"primary",size:"small",loading:m,onClick:()=>h(r),children:t("accounts.approve")})}]}),e.jsx(S.Paragraph,{type:"secondary",style:{marginTop:8},children:t("accounts.rejectUnsupported")})]})}const We=y(`
  query FilteredAccounts($where: AccountWhereInput!, $after: Cursor) {
    accounts(first: 50, after: $after, where: $where, orderBy: [{ field: PATH, direction: ASC }]) {
      totalCount
      edges {
        node {
          ...AccountRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`),Ke=y(`
  query LinkedAccount($id: ID!) {
    node(id: $id) {
      ... on Account {
        ...AccountRow
      }
    }
  }
`),Qe=["ACTIVE","DISABLED"],Ue=["MANUAL","CASCADE","SILENT","GEOFENCE","CODE_NOT_GREEN","PENDING_CONSENT"];function Je({where:t}){var h,l;const{t:c}=C(),o=ce(),[s,n]=x.useState(null),[m]=P({query:We,variables:{where:t,after:s}}),i=(((h=m.data)==null?void 0:h.accounts.edges)??[]).flatMap(a=>a!=null&&a.node?[a.node]:[]),p=(l=m.data)==null?void 0:l.accounts.pageInfo;return e.jsxs(e.Fragment,{children:[e.jsx(T,{error:m.error}),e.jsxs(S.Text,{type:"secondary",children:[c("accounts.filteredHint"),m.data?` · ${m.data.accounts.totalCount}`:""]}),e.jsx(K,{rowKey:"id",size:"small",style:{marginTop:8},loading:m.fetching&&!m.data,columns:o,dataSource:i,pagination:!1,scroll:{x:"max-content"}}),(p==null?void 0:p.hasNextPage)&&e.jsx(D,{style:{marginTop:8},onClick:()=>n(p.endCursor??null),children:c("accounts.more")})]})}function ut(){var X,Z;const{t}=C(),c=L(),{viewer:o}=Ie(),s=o==null?void 0:o.acting,[n,m]=x.useState(),[i,p]=x.useState(),[h,l]=x.useState(!1),[a,r]=x.useState(0),[d,j]=x.useState(null),[g,A]=x.useState(null),[u,b]=x.useState(null),[E,k]=x.useState(null),[N]=de(),[ue,me]=ge(),q=ue.get("account"),[Y]=P({query:Ke,variables:{id:q??""},pause:!q}),he=(X=Y.data)!=null&&X.node&&"role"in Y.data.node?Y.data.node:null,U=x.useMemo(()=>s?{actingId:s.id,details:j,replace:A,disable:b,activate:k}:null,[s]),B=x.useMemo(()=>!s||!n&&!i?null:{idNEQ:s.id,...n?{status:n}:{},...i?{disabledReason:i}:{}},[s,n,i]);if(!s||!U)return null;const J=s.role==="INITIATOR",pe=["INTERMEDIATE","ORDINARY","OFFICIAL","GRID_WORKER"].some(R=>c.canCreateAccount(R)),xe=((Z=N.data)==null?void 0:Z.pendingReactivations.totalCount)??0,Ae=e.jsxs(e.Fragment,{children:[e.jsxs(w,{wrap:!0,style:{marginBottom:12},children:[e.jsx(_,{allowClear:!0,style:{minWidth:160},placeholder:t("accounts.filterStatus"),value:n,onChange:m,options:Qe.map(R=>({value:R,label:v("AccountStatus",R)})),"data-testid":"filter-status"}),e.jsx(_,{allowClear:!0,style:{minWidth:180},placeholder:t("accounts.filterReason"),value:i,onChange:p,options:Ue.map(R=>({value:R,label:v("AccountDisabledReason",R)})),"data-testid":"filter-reason"})]}),B?e.jsx(Je,{where:B},JSON.stringify(B)+a):e.jsx(ae,{parentId:s.id,version:a})]});return e.jsxs(oe.Provider,{value:U,children:[e.jsxs(w,{style:{width:"100%",justifyContent:"space-between",marginBottom:16},wrap:!0,children:[e.jsx(S.Title,{level:3,style:{margin:0},children:t("accounts.title")}),pe&&e.jsx(D,{type:"primary",icon:e.jsx(ye,{}),onClick:()=>l(!0),children:t("accounts.create")})]}),e.jsx(Ce,{}),e.jsx(Re,{size:"small",children:e.jsx(ve,{items:[{key:"tree",label:t("accounts.treeTab"),children:Ae},{key:"inbox",label:e.jsx(ke,{count:xe,size:"small",offset:[8,-2],children:t("accounts.inboxTab")}),children:e.jsx(Ve,{})}]})}),e.jsx(Fe,{open:h,initiator:J,onClose:()=>l(!1),onCreated:()=>{l(!1),r(R=>R+1)}}),e.jsx(qe,{account:g,initiator:J,onClose:()=>A(null)}),u&&e.jsx(ze,{account:u,onClose:()=>b(null)}),E&&e.jsx(Ye,{account:E,onClose:()=>k(null)}),e.jsx(He,{account:d??(q?he:null),onClose:()=>{j(null),q&&me({})}})]})}export{ut as default};
