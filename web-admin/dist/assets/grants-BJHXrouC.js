import{j as e,r as b}from"./react-DvMe2k-3.js";import{ag as z,a as I,aj as O,ah as d,ak as _,S,k as T,I as P,ap as m,e as w,n as f,b as W,f as v,al as C,B as $,l as K,i as L,aw as V,am as Q,T as G}from"./index-D9y_8fwR.js";import{R as J,E as q}from"./ScopePicker-DquZIeNb.js";import{E as B}from"./ErrorAlert-CXk-sniI.js";import{s as U}from"./sectors-AQDXNRwP.js";import{M as X}from"./index-BrdsfWYW.js";import{R as Z}from"./index-DGAZ7x6-.js";import{D as ee}from"./index-kX-SnQor.js";import{S as re}from"./index-D1sbaji1.js";import{F as te}from"./Table-4vjShmdK.js";import"./useBubbleLock-VaJzLZCH.js";import"./index-D2awatxo.js";import"./index-RwzfDQ0l.js";z("grants",{title:"授权管理",give:"新增授权",giveTitle:"新增限时授权",kind:"授权类型",account:"被授权账号",pickAccount:"输入角色、辖区、站点或姓名筛选",region:"覆盖区划",regionHint:"不选则为被授权账号本身的辖区",sector:"行业",purpose:"用途",byCase:"案件编号",byAlert:"异常预警",caseNumber:"案件编号",caseNumberHint:"如 吉卫疾控〔2020〕17号",alert:"预警",pickAlert:"选择相关的异常预警",reason:"授权理由",expiresAt:"到期时间",expiresHint:"最长90天",status:"状态",active:"有效",expired:"已过期",revoked:"已撤销",revoke:"撤销",revokeConfirm:"撤销后该授权立即失效，确定撤销？",revokedOk:"授权已撤销",given:"授权已生效",createdAt:"授权时间",empty:"暂无授权",filterActive:"只看有效授权",required:"必填",more:"加载更多"},{title:"Grants",give:"New grant",giveTitle:"Give a time-limited grant",kind:"Kind",account:"Account",pickAccount:"Type a role, region, site or name",region:"Region covered",regionHint:"Default: the account's own scope",sector:"Sector",purpose:"Purpose",byCase:"Case number",byAlert:"Alert",caseNumber:"Case number",caseNumberHint:"e.g. 吉卫疾控〔2020〕17号",alert:"Alert",pickAlert:"Choose the alert it serves",reason:"Reason",expiresAt:"Expires",expiresHint:"At most 90 days",status:"Status",active:"Active",expired:"Expired",revoked:"Revoked",revoke:"Revoke",revokeConfirm:"The grant ends at once. Revoke?",revokedOk:"Grant revoked",given:"Grant given",createdAt:"Given",empty:"No grants",filterActive:"Active grants only",required:"Required",more:"Load more"});const ne=f(`
  mutation GiveGrant($accountId: ID!, $kind: GrantKind!, $sector: Sector, $expiresAt: Time!, $reason: String!, $regionId: ID, $caseNumber: String, $alertId: ID) {
    giveGrant(accountId: $accountId, kind: $kind, sector: $sector, expiresAt: $expiresAt, reason: $reason, regionId: $regionId, caseNumber: $caseNumber, alertId: $alertId) {
      ...GrantRow
    }
  }
`),se=f(`
  query GrantAccounts($where: AccountWhereInput) {
    accounts(first: 100, where: $where, orderBy: [{ field: PATH, direction: ASC }]) {
      edges {
        node {
          id
          role
          scopeRegion {
            id
            name
          }
          scopeSite {
            id
            name
          }
          holder {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`),ae=f(`
  query GrantAlerts {
    alerts(first: 30, orderBy: [{ field: RAISED_AT, direction: DESC }]) {
      edges {
        node {
          id
          kind
          place
          nameMasked
          raisedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`),oe=["PII_VIEWER","TRACER","SECTOR_STATISTICS"];function ie({value:t,onChange:u,id:n}){var g;const{t:h}=I(),[c]=w({query:se,variables:{where:{roleNotIn:["INITIATOR"],status:"ACTIVE"}}}),p=(((g=c.data)==null?void 0:g.accounts.edges)??[]).flatMap(o=>{var x,a;const l=o==null?void 0:o.node;if(!l)return[];const A=((x=l.scopeSite)==null?void 0:x.name)??((a=l.scopeRegion)==null?void 0:a.name)??"";return[{value:l.id,label:`${T("AccountRole",l.role)} · ${A}${l.holder?` · ${l.holder.name}`:""}`}]});return e.jsx(S,{id:n,showSearch:!0,value:t,onChange:u,optionFilterProp:"label",loading:c.fetching,options:p,placeholder:h("grants.pickAccount"),"data-testid":"grant-account"})}function ce({value:t,onChange:u,id:n}){var g;const{t:h}=I(),[c]=w({query:ae}),p=(((g=c.data)==null?void 0:g.alerts.edges)??[]).flatMap(o=>o!=null&&o.node?[{value:o.node.id,label:`${m(o.node.raisedAt).format("MM-DD HH:mm")} · ${o.node.place} · ${o.node.nameMasked}`}]:[]);return e.jsx(S,{id:n,value:t,onChange:u,options:p,loading:c.fetching,placeholder:h("grants.pickAlert")})}function le({onClose:t,onGiven:u}){const{t:n}=I(),{message:h}=O.useApp(),[c]=d.useForm(),p=d.useWatch("kind",c),g=d.useWatch("purpose",c),[{fetching:o,error:l},A]=_(ne),x=p==="PII_VIEWER"||p==="TRACER",a={required:!0,message:n("grants.required")},R=async s=>{var y;(await A({accountId:s.accountId,kind:s.kind,sector:s.kind==="SECTOR_STATISTICS"?s.sector??null:null,expiresAt:s.expiresAt.toISOString(),reason:s.reason.trim(),regionId:x?s.regionId??null:null,caseNumber:x&&s.purpose==="case"?((y=s.caseNumber)==null?void 0:y.trim())??null:null,alertId:x&&s.purpose==="alert"?s.alertId??null:null})).data&&(h.success(n("grants.given")),u())};return e.jsxs(X,{open:!0,title:n("grants.giveTitle"),onCancel:t,onOk:()=>c.submit(),confirmLoading:o,okText:n("grants.give"),children:[e.jsx(B,{error:l}),e.jsxs(d,{form:c,layout:"vertical",onFinish:R,initialValues:{kind:"TRACER",purpose:"case",expiresAt:m().add(7,"day").endOf("day")},children:[e.jsx(d.Item,{name:"accountId",label:n("grants.account"),rules:[a],children:e.jsx(ie,{})}),e.jsx(d.Item,{name:"kind",label:n("grants.kind"),rules:[a],children:e.jsx(S,{options:oe.map(s=>({value:s,label:T("GrantKind",s)}))})}),x?e.jsxs(e.Fragment,{children:[e.jsx(d.Item,{name:"regionId",label:n("grants.region"),extra:n("grants.regionHint"),children:e.jsx(J,{})}),e.jsx(d.Item,{name:"purpose",label:n("grants.purpose"),children:e.jsx(Z.Group,{options:[{value:"case",label:n("grants.byCase")},{value:"alert",label:n("grants.byAlert")}]})}),g==="alert"?e.jsx(d.Item,{name:"alertId",label:n("grants.alert"),rules:[a],children:e.jsx(ce,{})}):e.jsx(d.Item,{name:"caseNumber",label:n("grants.caseNumber"),rules:[a],extra:n("grants.caseNumberHint"),children:e.jsx(P,{maxLength:64})})]}):e.jsx(d.Item,{name:"sector",label:n("grants.sector"),rules:[a],children:e.jsx(S,{options:U.map(s=>({value:s,label:T("Sector",s)}))})}),e.jsx(d.Item,{name:"reason",label:n("grants.reason"),rules:[a],children:e.jsx(P.TextArea,{rows:2,maxLength:500})}),e.jsx(d.Item,{name:"expiresAt",label:n("grants.expiresAt"),extra:n("grants.expiresHint"),rules:[a],children:e.jsx(ee,{showTime:{format:"HH:mm"},format:"YYYY-MM-DD HH:mm",disabledDate:s=>s.isBefore(m().startOf("day"))||s.isAfter(m().add(90,"day")),style:{width:"100%"}})})]})]})}f(`
  fragment GrantRow on Grant {
    id
    createdAt
    kind
    sector
    expiresAt
    revokedAt
    reason
    caseNumber
    scopeRegion {
      id
      name
    }
    alert {
      id
      place
      raisedAt
    }
    account {
      id
      role
      scopeRegion {
        id
        name
      }
      scopeSite {
        id
        name
      }
      holder {
        id
        name
      }
    }
  }
`);const de=f(`
  query Grants($where: GrantWhereInput, $after: Cursor) {
    grants(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          ...GrantRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`),ue=f(`
  mutation RevokeGrant($id: ID!) {
    revokeGrant(id: $id) {
      ...GrantRow
    }
  }
`),M=t=>m(t).format("YYYY-MM-DD HH:mm");function me({g:t}){const{t:u}=I();return t.revokedAt?e.jsx(G,{children:u("grants.revoked")}):m(t.expiresAt).isBefore(m())?e.jsx(G,{color:"default",children:u("grants.expired")}):e.jsx(G,{color:"green",children:u("grants.active")})}function Te(){var N,D;const{t}=I(),{message:u}=O.useApp(),n=W(),[h,c]=b.useState(!1),[p,g]=b.useState(!1),[o,l]=b.useState(null),[A]=b.useState(()=>m().toISOString()),x=p?{revokedAtIsNil:!0,expiresAtGT:A}:{},[a,R]=w({query:de,variables:{where:x,after:o},requestPolicy:"cache-and-network"}),[{fetching:s},E]=_(ue),y=(((N=a.data)==null?void 0:N.grants.edges)??[]).flatMap(i=>i!=null&&i.node?[i.node]:[]),j=(D=a.data)==null?void 0:D.grants.pageInfo,F=n.can("grant","revoke"),Y=async i=>{const r=await E({id:i.id});r.error?u.error(Q(r.error)):u.success(t("grants.revokedOk"))};return e.jsxs(e.Fragment,{children:[e.jsxs(v,{style:{width:"100%",justifyContent:"space-between",marginBottom:16},wrap:!0,children:[e.jsx(C.Title,{level:3,style:{margin:0},children:t("grants.title")}),e.jsxs(v,{wrap:!0,children:[e.jsxs(v,{children:[e.jsx(re,{checked:p,onChange:i=>{g(i),l(null)}}),t("grants.filterActive")]}),n.can("grant","give")&&e.jsx($,{type:"primary",icon:e.jsx(K,{}),onClick:()=>c(!0),children:t("grants.give")})]})]}),e.jsxs(L,{size:"small",children:[e.jsx(B,{error:a.error}),e.jsx(te,{rowKey:"id",size:"small",loading:a.fetching&&!a.data,dataSource:y,pagination:!1,scroll:{x:"max-content"},locale:{emptyText:t("grants.empty")},columns:[{title:t("grants.kind"),key:"kind",render:(i,r)=>e.jsx(q,{of:"GrantKind",value:r.kind,color:"purple"})},{title:t("grants.account"),key:"account",render:(i,r)=>{var k,H;return e.jsxs(v,{direction:"vertical",size:0,children:[e.jsxs("span",{children:[T("AccountRole",r.account.role),r.account.holder?` · ${r.account.holder.name}`:""]}),e.jsx(C.Text,{type:"secondary",style:{fontSize:12},children:((k=r.account.scopeSite)==null?void 0:k.name)??((H=r.account.scopeRegion)==null?void 0:H.name)})]})}},{title:`${t("grants.region")} / ${t("grants.sector")}`,key:"cover",render:(i,r)=>{var k;return r.kind==="SECTOR_STATISTICS"?e.jsx(q,{of:"Sector",value:r.sector}):((k=r.scopeRegion)==null?void 0:k.name)??"—"}},{title:t("grants.purpose"),key:"purpose",render:(i,r)=>e.jsxs(v,{direction:"vertical",size:0,children:[r.caseNumber&&e.jsx("span",{children:r.caseNumber}),r.alert&&e.jsx("span",{children:`${t("grants.alert")}：${r.alert.place} ${M(r.alert.raisedAt)}`}),e.jsx(C.Text,{type:"secondary",style:{fontSize:12},children:r.reason})]})},{title:t("grants.expiresAt"),key:"exp",render:(i,r)=>M(r.expiresAt)},{title:t("grants.status"),key:"state",render:(i,r)=>e.jsx(me,{g:r})},{title:t("common.actions"),key:"x",render:(i,r)=>F&&!r.revokedAt&&m(r.expiresAt).isAfter(m())&&e.jsx(V,{title:t("grants.revokeConfirm"),onConfirm:()=>Y(r),children:e.jsx($,{size:"small",danger:!0,loading:s,children:t("grants.revoke")})})}]}),(j==null?void 0:j.hasNextPage)&&e.jsx($,{style:{marginTop:8},onClick:()=>l(j.endCursor??null),children:t("grants.more")})]}),h&&e.jsx(le,{onClose:()=>c(!1),onGiven:()=>{c(!1),l(null),R({requestPolicy:"network-only"})}})]})}export{Te as default};
