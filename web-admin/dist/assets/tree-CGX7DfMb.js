import{r as l,l as W,m as X,f as G,j as e,L as O}from"./react-DvMe2k-3.js";import{t as Y,S as R,C as Z,u as ee,o as H,c as te,g as se,a as J,b as oe,d as ne,e as q,f as re,R as ie,h as _,i as I,I as ae,B as A,j as le,D as v,k as K,l as ce,E as de,m as ue,T as pe,n as D}from"./index-D9y_8fwR.js";import{E as me}from"./ErrorAlert-CXk-sniI.js";import{r as T,s as L,J as ge,S as he,a as fe}from"./SiteDetails-CaSDkYu3.js";import{B as xe}from"./Breadcrumb-e9vJe3Rl.js";import"./EnvironmentOutlined-C0ospe-0.js";import"./index-D2awatxo.js";const{Option:V}=R;function M(t){return(t==null?void 0:t.type)&&(t.type.isSelectOption||t.type.isSelectOptGroup)}const Se=(t,p)=>{var C,x;const{prefixCls:h,className:y,popupClassName:$,dropdownClassName:b,children:m,dataSource:i,dropdownStyle:c,dropdownRender:S,popupRender:s,onDropdownVisibleChange:g,onOpenChange:f,styles:o,classNames:a}=t,u=Y(m),n=((C=o==null?void 0:o.popup)===null||C===void 0?void 0:C.root)||c,w=((x=a==null?void 0:a.popup)===null||x===void 0?void 0:x.root)||$||b,E=s||S,r=f||g;let d;u.length===1&&l.isValidElement(u[0])&&!M(u[0])&&([d]=u);const P=d?()=>d:void 0;let N;u.length&&M(u[0])?N=m:N=i?i.map(j=>{if(l.isValidElement(j))return j;switch(typeof j){case"string":return l.createElement(V,{key:j,value:j},j);case"object":{const{value:z}=j;return l.createElement(V,{key:z,value:z},j.text)}default:return}}):[];const{getPrefixCls:F}=l.useContext(Z),B=F("select",h),[Q]=ee("SelectLike",n==null?void 0:n.zIndex);return l.createElement(R,Object.assign({ref:p,suffixIcon:null},H(t,["dataSource","dropdownClassName","popupClassName"]),{prefixCls:B,classNames:{popup:{root:w},root:a==null?void 0:a.root},styles:{popup:{root:Object.assign(Object.assign({},n),{zIndex:Q})},root:o==null?void 0:o.root},className:te(`${B}-auto-complete`,y),mode:R.SECRET_COMBOBOX_MODE_DO_NOT_USE,popupRender:E,onOpenChange:r,getInputElement:P}),N)},U=l.forwardRef(Se),{Option:je}=R,Ce=se(U,"dropdownAlign",t=>H(t,["visible"])),k=U;k.Option=je;k._InternalPanelDoNotUseOrYouWillBeFired=Ce;const ve=D(`
  query TreeRegion($code: String!) {
    regionByCode(code: $code) {
      id
      code
      name
      level
      childCount
      siteCount
      population
      registrationTarget
      ancestors {
        id
        code
        name
      }
    }
  }
`),ye=D(`
  query TreeSiteNode($id: ID!) {
    node(id: $id) {
      ... on Site {
        ...SiteDetails
      }
    }
  }
`),$e=D(`
  query TreeSearch($name: String, $code: String, $withSites: Boolean!) {
    regions(first: 10, where: { nameContains: $name, codeHasPrefix: $code }, orderBy: [{ field: CODE }]) {
      edges {
        node {
          id
          code
          name
          level
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    sites(first: 10, where: { nameContains: $name }) @include(if: $withSites) {
      edges {
        node {
          id
          name
          region {
            code
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
`);function be(){const t=ue(),{t:p}=J(),C=G(),[x,h]=l.useState([]),y=l.useRef();return{options:x,onSearch:m=>{clearTimeout(y.current);const i=m.trim();if(!i){h([]);return}y.current=setTimeout(async()=>{var o,a,u;const c=/^\d+$/.test(i),S=await t.query($e,{name:c?null:i,code:c?i:null,withSites:!c}).toPromise(),s=(((o=S.data)==null?void 0:o.regions.edges)??[]).map(n=>n.node),g=(((u=(a=S.data)==null?void 0:a.sites)==null?void 0:u.edges)??[]).map(n=>n.node),f=[];s.length&&f.push({label:p("treePage.searchRegions"),options:s.map(n=>({value:`r:${n.code}`,label:e.jsxs("span",{children:[n.name," ",e.jsx(pe,{bordered:!1,children:K("RegionLevel",n.level)})," ",n.code]})}))}),g.length&&f.push({label:p("treePage.searchSites"),options:g.map(n=>({value:`s:${n.region.code}:${n.id}`,label:`${n.name}（${n.region.name}）`}))}),f.length||f.push({label:p("tree.noResults"),options:[]}),h(f)},250)},onPick:m=>{const[i,c,S]=m.split(":");C(i==="r"?`/tree/${c}`:`/tree/${c}?site=${S}`)}}}function Te(){var E;const{t}=J(),{code:p}=W(),[C]=X(),x=C.get("site"),h=G(),y=oe(),{viewer:$}=ne(),b=l.useRef(null),m=be(),i=(E=$==null?void 0:$.acting.scopeRegion)==null?void 0:E.code;l.useEffect(()=>{!p&&i&&h(`/tree/${i}`,{replace:!0})},[p,i,h]);const[{data:c,error:S}]=q({query:ve,variables:{code:p??""},pause:!p}),s=c==null?void 0:c.regionByCode,[{data:g,error:f}]=q({query:ye,variables:{id:x??""},pause:!x}),o=g!=null&&g.node&&"category"in g.node?g.node:null,a=l.useMemo(()=>{const r=[];for(let d=o==null?void 0:o.parent;d;d=d.parent)r.unshift({id:d.id,name:d.name});return r},[o]);l.useEffect(()=>{var d;if(!s)return;const r=[...s.ancestors.map(P=>T(P.id)),T(s.id)];o&&o.region.id===s.id&&r.push(...a.map(P=>L(P.id))),(d=b.current)==null||d.expandPath(r)},[s,o,a]);const u=r=>{r.kind==="region"?h(`/tree/${r.code}`):r.kind==="site"&&h({search:`?site=${r.id}`})},n=o?L(o.id):s?T(s.id):void 0,w=[{title:e.jsx(O,{to:"/tree",children:t("treePage.root")})},...s?[...s.ancestors,s].map(r=>({title:e.jsx(O,{to:`/tree/${r.code}`,children:r.name})})):[],...o?[...a.map(r=>({title:e.jsx(O,{to:`?site=${r.id}`,children:r.name})})),{title:o.name}]:[]];return e.jsxs(re,{direction:"vertical",style:{width:"100%"},size:"middle",children:[e.jsx(xe,{items:w,"data-testid":"breadcrumbs"}),e.jsxs(ie,{gutter:[16,16],children:[e.jsx(_,{xs:24,lg:10,children:e.jsxs(I,{size:"small",title:t("tree.title"),children:[e.jsx(k,{options:m.options,onSearch:m.onSearch,onSelect:m.onPick,style:{width:"100%",marginBottom:12},children:e.jsx(ae.Search,{placeholder:t("tree.searchPlaceholder"),allowClear:!0,"aria-label":t("tree.searchPlaceholder")})}),e.jsx(ge,{ref:b,selected:n,onSelect:u,height:560})]})}),e.jsxs(_,{xs:24,lg:14,children:[e.jsx(me,{error:S??f}),o?e.jsxs(I,{size:"small",title:o.name,extra:e.jsx(O,{to:`/sites/${o.id}`,children:e.jsx(A,{type:"primary",icon:e.jsx(le,{}),children:t("tree.openSite")})}),children:[e.jsx(he,{site:o}),e.jsx(I,{size:"small",type:"inner",title:t("site.scanners"),style:{marginTop:16},children:e.jsx(fe,{siteId:o.id})})]}):s?e.jsx(I,{size:"small",title:s.name,extra:y.siteCreate&&e.jsx(O,{to:`/sites/new?parent=${s.id}`,children:e.jsx(A,{icon:e.jsx(ce,{}),children:t("tree.newSite")})}),children:e.jsxs(v,{column:{xs:1,md:2},bordered:!0,size:"small","data-testid":"region-details",children:[e.jsx(v.Item,{label:t("tree.code"),children:s.code}),e.jsx(v.Item,{label:t("tree.level"),children:K("RegionLevel",s.level)}),e.jsx(v.Item,{label:t("tree.region"),children:t("tree.childCount",{count:s.childCount})}),e.jsx(v.Item,{label:t("tree.sites"),children:t("tree.siteCount",{count:s.siteCount})}),s.population!=null&&e.jsx(v.Item,{label:t("treePage.population"),children:s.population}),s.registrationTarget!=null&&e.jsx(v.Item,{label:t("treePage.registrationTarget"),children:s.registrationTarget})]})}):e.jsx(I,{size:"small",children:e.jsx(de,{description:t("tree.selectHint")})})]})]})]})}export{Te as default};
