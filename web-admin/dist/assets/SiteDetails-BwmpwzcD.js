import{r as l,j as i}from"./react-DvMe2k-3.js";import{C as U,as as oe,c as Y,ad as fe,N as me,O as ge,U as pe,X as W,at as ye,t as Z,au as be,p as he,_ as Ce,ag as xe,a as G,m as Se,B as je,al as X,T as P,k as A,n as T,D as h,e as Oe,E as ee,ar as te,f as Ie}from"./index-oMTJiOMJ.js";import{D as ve,T as Re,E as Ee}from"./ErrorAlert-DJzFWyG4.js";const H=({children:e})=>{const{getPrefixCls:t}=l.useContext(U),a=t("breadcrumb");return l.createElement("li",{className:`${a}-separator`,"aria-hidden":"true"},e===""?e:e||"/")};H.__ANT_BREADCRUMB_SEPARATOR=!0;var Pe=function(e,t){var a={};for(var r in e)Object.prototype.hasOwnProperty.call(e,r)&&t.indexOf(r)<0&&(a[r]=e[r]);if(e!=null&&typeof Object.getOwnPropertySymbols=="function")for(var o=0,r=Object.getOwnPropertySymbols(e);o<r.length;o++)t.indexOf(r[o])<0&&Object.prototype.propertyIsEnumerable.call(e,r[o])&&(a[r[o]]=e[r[o]]);return a};function $e(e,t){if(e.title===void 0||e.title===null)return null;const a=Object.keys(t).join("|");return typeof e.title=="object"?e.title:String(e.title).replace(new RegExp(`:(${a})`,"g"),(r,o)=>t[o]||r)}function se(e,t,a,r){if(a==null)return null;const{className:o,onClick:g}=t,c=Pe(t,["className","onClick"]),f=Object.assign(Object.assign({},oe(c,{data:!0,aria:!0})),{onClick:g});return r!==void 0?l.createElement("a",Object.assign({},f,{className:Y(`${e}-link`,o),href:r}),a):l.createElement("span",Object.assign({},f,{className:Y(`${e}-link`,o)}),a)}function Ne(e,t){return(r,o,g,c,f)=>{if(t)return t(r,o,g,c);const C=$e(r,o);return se(e,r,C,f)}}var J=function(e,t){var a={};for(var r in e)Object.prototype.hasOwnProperty.call(e,r)&&t.indexOf(r)<0&&(a[r]=e[r]);if(e!=null&&typeof Object.getOwnPropertySymbols=="function")for(var o=0,r=Object.getOwnPropertySymbols(e);o<r.length;o++)t.indexOf(r[o])<0&&Object.prototype.propertyIsEnumerable.call(e,r[o])&&(a[r[o]]=e[r[o]]);return a};const ie=e=>{const{prefixCls:t,separator:a="/",children:r,menu:o,overlay:g,dropdownProps:c,href:f}=e,D=(x=>{if(o||g){const $=Object.assign({},c);if(o){const B=o||{},{items:N}=B,p=J(B,["items"]);$.menu=Object.assign(Object.assign({},p),{items:N==null?void 0:N.map((O,I)=>{var{key:v,title:M,label:w,path:E}=O,n=J(O,["key","title","label","path"]);let s=w??M;return E&&(s=l.createElement("a",{href:`${f}${E}`},s)),Object.assign(Object.assign({},n),{key:v??I,label:s})})})}else g&&($.overlay=g);return l.createElement(ve,Object.assign({placement:"bottom"},$),l.createElement("span",{className:`${t}-overlay-link`},x,l.createElement(fe,null)))}return x})(r);return D!=null?l.createElement(l.Fragment,null,l.createElement("li",{className:`${t}-item`},D),a&&l.createElement(H,null,a)):null},le=e=>{const{prefixCls:t,children:a,href:r}=e,o=J(e,["prefixCls","children","href"]),{getPrefixCls:g}=l.useContext(U),c=g("breadcrumb",t);return l.createElement(ie,Object.assign({},o,{prefixCls:c}),se(c,o,a,r))};le.__ANT_BREADCRUMB_ITEM=!0;const we=e=>{const{componentCls:t,iconCls:a,calc:r}=e;return{[t]:Object.assign(Object.assign({},pe(e)),{color:e.itemColor,fontSize:e.fontSize,[a]:{fontSize:e.iconFontSize},ol:{display:"flex",flexWrap:"wrap",margin:0,padding:0,listStyle:"none"},[`${t}-item a`]:Object.assign({color:e.linkColor,transition:`color ${e.motionDurationMid}`,padding:`0 ${W(e.paddingXXS)}`,borderRadius:e.borderRadiusSM,height:e.fontHeight,display:"inline-block",marginInline:r(e.marginXXS).mul(-1).equal(),"&:hover":{color:e.linkHoverColor,backgroundColor:e.colorBgTextHover}},ye(e)),[`${t}-item:last-child`]:{color:e.lastItemColor},[`${t}-separator`]:{marginInline:e.separatorMargin,color:e.separatorColor},[`${t}-link`]:{[`
          > ${a} + span,
          > ${a} + a
        `]:{marginInlineStart:e.marginXXS}},[`${t}-overlay-link`]:{borderRadius:e.borderRadiusSM,height:e.fontHeight,display:"inline-block",padding:`0 ${W(e.paddingXXS)}`,marginInline:r(e.marginXXS).mul(-1).equal(),[`> ${a}`]:{marginInlineStart:e.marginXXS,fontSize:e.fontSizeIcon},"&:hover":{color:e.linkHoverColor,backgroundColor:e.colorBgTextHover,a:{color:e.linkHoverColor}},a:{"&:hover":{backgroundColor:"transparent"}}},[`&${e.componentCls}-rtl`]:{direction:"rtl"}})}},ke=e=>({itemColor:e.colorTextDescription,lastItemColor:e.colorText,iconFontSize:e.fontSize,linkColor:e.colorTextDescription,linkHoverColor:e.colorText,separatorColor:e.colorTextDescription,separatorMargin:e.marginXS}),Te=me("Breadcrumb",e=>{const t=ge(e,{});return we(t)},ke);var re=function(e,t){var a={};for(var r in e)Object.prototype.hasOwnProperty.call(e,r)&&t.indexOf(r)<0&&(a[r]=e[r]);if(e!=null&&typeof Object.getOwnPropertySymbols=="function")for(var o=0,r=Object.getOwnPropertySymbols(e);o<r.length;o++)t.indexOf(r[o])<0&&Object.prototype.propertyIsEnumerable.call(e,r[o])&&(a[r[o]]=e[r[o]]);return a};function De(e){const{breadcrumbName:t,children:a}=e,r=re(e,["breadcrumbName","children"]),o=Object.assign({title:t},r);return a&&(o.menu={items:a.map(g=>{var{breadcrumbName:c}=g,f=re(g,["breadcrumbName"]);return Object.assign(Object.assign({},f),{title:c})})}),o}function Ae(e,t){return l.useMemo(()=>e||(t?t.map(De):null),[e,t])}var Be=function(e,t){var a={};for(var r in e)Object.prototype.hasOwnProperty.call(e,r)&&t.indexOf(r)<0&&(a[r]=e[r]);if(e!=null&&typeof Object.getOwnPropertySymbols=="function")for(var o=0,r=Object.getOwnPropertySymbols(e);o<r.length;o++)t.indexOf(r[o])<0&&Object.prototype.propertyIsEnumerable.call(e,r[o])&&(a[r[o]]=e[r[o]]);return a};const _e=(e,t)=>{if(t===void 0)return t;let a=(t||"").replace(/^\//,"");return Object.keys(e).forEach(r=>{a=a.replace(`:${r}`,e[r])}),a},ce=e=>{const{prefixCls:t,separator:a="/",style:r,className:o,rootClassName:g,routes:c,items:f,children:C,itemRender:D,params:x={}}=e,$=Be(e,["prefixCls","separator","style","className","rootClassName","routes","items","children","itemRender","params"]),{getPrefixCls:B,direction:N,breadcrumb:p}=l.useContext(U);let O;const I=B("breadcrumb",t),[v,M,w]=Te(I),E=Ae(f,c),n=Ne(I,D);if(E&&E.length>0){const m=[],S=f||c;O=E.map((j,b)=>{const{path:z,key:_,type:q,menu:y,overlay:d,onClick:k,className:L,separator:R,dropdownProps:de}=j,K=_e(x,z);K!==void 0&&m.push(K);const Q=_??b;if(q==="separator")return l.createElement(H,{key:Q},R);const V={},ue=b===E.length-1;y?V.menu=y:d&&(V.overlay=d);let{href:F}=j;return m.length&&K!==void 0&&(F=`#/${m.join("/")}`),l.createElement(ie,Object.assign({key:Q},V,oe(j,{data:!0,aria:!0}),{className:L,dropdownProps:de,href:F,separator:ue?"":a,onClick:k,prefixCls:I}),n(j,x,S,m,F))})}else if(C){const m=Z(C).length;O=Z(C).map((S,j)=>{if(!S)return S;const b=j===m-1;return be(S,{separator:b?"":a,key:j})})}const s=Y(I,p==null?void 0:p.className,{[`${I}-rtl`]:N==="rtl"},o,g,M,w),u=Object.assign(Object.assign({},p==null?void 0:p.style),r);return v(l.createElement("nav",Object.assign({className:s,style:u},$),l.createElement("ol",null,O)))};ce.Item=le;ce.Separator=H;var Me={icon:{tag:"svg",attrs:{viewBox:"64 64 896 896",focusable:"false"},children:[{tag:"path",attrs:{d:"M854.6 289.1a362.49 362.49 0 00-79.9-115.7 370.83 370.83 0 00-118.2-77.8C610.7 76.6 562.1 67 512 67c-50.1 0-98.7 9.6-144.5 28.5-44.3 18.3-84 44.5-118.2 77.8A363.6 363.6 0 00169.4 289c-19.5 45-29.4 92.8-29.4 142 0 70.6 16.9 140.9 50.1 208.7 26.7 54.5 64 107.6 111 158.1 80.3 86.2 164.5 138.9 188.4 153a43.9 43.9 0 0022.4 6.1c7.8 0 15.5-2 22.4-6.1 23.9-14.1 108.1-66.8 188.4-153 47-50.4 84.3-103.6 111-158.1C867.1 572 884 501.8 884 431.1c0-49.2-9.9-97-29.4-142zM512 880.2c-65.9-41.9-300-207.8-300-449.1 0-77.9 31.1-151.1 87.6-206.3C356.3 169.5 431.7 139 512 139s155.7 30.5 212.4 85.9C780.9 280 812 353.2 812 431.1c0 241.3-234.1 407.2-300 449.1zm0-617.2c-97.2 0-176 78.8-176 176s78.8 176 176 176 176-78.8 176-176-78.8-176-176-176zm79.2 255.2A111.6 111.6 0 01512 551c-29.9 0-58-11.7-79.2-32.8A111.6 111.6 0 01400 439c0-29.9 11.7-58 32.8-79.2C454 338.6 482.1 327 512 327c29.9 0 58 11.6 79.2 32.8C612.4 381 624 409.1 624 439c0 29.9-11.6 58-32.8 79.2z"}}]},name:"environment",theme:"outlined"},ze=function(t,a){return l.createElement(he,Ce({},t,{ref:a,icon:Me}))},qe=l.forwardRef(ze);xe("treePage",{population:"户籍人口",registrationTarget:"注册目标",subSites:"下级站点 {{count}}",disabledSite:"未启用",searchRegions:"区划",searchSites:"站点",root:"全部辖区"},{population:"Population",registrationTarget:"Registration target",subSites:"{{count}} sub-sites",disabledSite:"Not enabled",searchRegions:"Regions",searchSites:"Sites",root:"All regions"});const Xe=T(`
  query TreeRoots {
    regions(first: 100, where: { level: PROVINCE }, orderBy: [{ field: CODE }]) {
      edges {
        node {
          ...TreeRegion
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);T(`
  fragment TreeRegion on Region {
    id
    code
    name
    level
    childCount
    siteCount
  }
`);T(`
  fragment TreeSite on Site {
    id
    name
    category
    enabled
    children {
      totalCount
    }
  }
`);const He=T(`
  query TreeRegionChildren($id: ID!, $after: Cursor) {
    node(id: $id) {
      ... on Region {
        id
        children(first: 100, after: $after, orderBy: [{ field: CODE }]) {
          edges {
            node {
              ...TreeRegion
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
`),Le=T(`
  query TreeRegionSites($id: ID!, $after: Cursor) {
    node(id: $id) {
      ... on Region {
        id
        sites(first: 100, after: $after, orderBy: [{ field: NAME }]) {
          edges {
            node {
              ...TreeSite
              parent {
                id
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
`),Ke=T(`
  query TreeSiteChildren($id: ID!, $after: Cursor) {
    node(id: $id) {
      ... on Site {
        id
        children(first: 100, after: $after, orderBy: [{ field: NAME }]) {
          edges {
            node {
              ...TreeSite
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
`),Ve=e=>`r:${e}`,Fe=e=>`s:${e}`,ne=e=>({kind:"region",key:Ve(e.id),...e}),ae=e=>({kind:"site",key:Fe(e.id),id:e.id,name:e.name,category:e.category,enabled:e.enabled,childCount:e.children.totalCount}),We=l.forwardRef(function({selected:t,onSelect:a,selectable:r,height:o},g){const{t:c}=G(),f=Se(),[C,D]=l.useState([]),[x,$]=l.useState({}),[B,N]=l.useState([]),[p]=l.useState(()=>new Map),[O]=l.useState(()=>{let n=()=>{};return{promise:new Promise(u=>n=u),resolve:n}});l.useEffect(()=>{f.query(Xe,{}).toPromise().then(n=>{var u;const s=(((u=n.data)==null?void 0:u.regions.edges)??[]).map(m=>ne(m.node));s.forEach(m=>p.set(m.key,m)),D(s),O.resolve()})},[f,p,O]);const I=l.useCallback(async(n,s)=>{var S,j,b,z,_,q;const u=[],m={requestPolicy:"network-only"};if(n.kind==="region"){if(!s||s.what==="regions"){const y=await f.query(He,{id:n.id,after:(s==null?void 0:s.after)??null},m).toPromise(),d=(S=y.data)!=null&&S.node&&"children"in y.data.node?y.data.node.children:null;(j=d==null?void 0:d.edges)==null||j.forEach(k=>u.push(ne(k.node))),d!=null&&d.pageInfo.hasNextPage&&u.push({kind:"more",key:`${n.key}:r:${d.pageInfo.endCursor}`,parent:n.key,what:"regions",after:d.pageInfo.endCursor})}if(!s||s.what==="sites"){const y=await f.query(Le,{id:n.id,after:(s==null?void 0:s.after)??null},m).toPromise(),d=(b=y.data)!=null&&b.node&&"sites"in y.data.node?y.data.node.sites:null,k=((z=d==null?void 0:d.edges)==null?void 0:z.map(R=>R.node))??[],L=new Set(k.map(R=>R.id));k.filter(R=>!R.parent||!L.has(R.parent.id)).forEach(R=>u.push(ae(R))),d!=null&&d.pageInfo.hasNextPage&&u.push({kind:"more",key:`${n.key}:s:${d.pageInfo.endCursor}`,parent:n.key,what:"sites",after:d.pageInfo.endCursor})}}else if(n.kind==="site"){const y=await f.query(Ke,{id:n.id,after:(s==null?void 0:s.after)??null},m).toPromise(),d=(_=y.data)!=null&&_.node&&"children"in y.data.node?y.data.node.children:null;(q=d==null?void 0:d.edges)==null||q.forEach(k=>u.push(ae(k.node))),d!=null&&d.pageInfo.hasNextPage&&u.push({kind:"more",key:`${n.key}:s:${d.pageInfo.endCursor}`,parent:n.key,what:"sites",after:d.pageInfo.endCursor})}return u.forEach(y=>p.set(y.key,y)),u},[f,p]),v=l.useCallback(async n=>{const s=p.get(n);if(!s)return;const u=await I(s);$(m=>({...m,[n]:u}))},[I,p]),M=async n=>{const s=p.get(n.parent);if(!s)return;const u=await I(s,{what:n.what,after:n.after});$(m=>{const S=(m[n.parent]??[]).filter(b=>b.key!==n.key),j=n.what==="regions"?[...S.filter(b=>b.kind==="region"),...u,...S.filter(b=>b.kind!=="region")]:[...S,...u];return{...m,[n.parent]:j}})};l.useImperativeHandle(g,()=>({async expandPath(n){await O.promise;for(const s of n)x[s]||await v(s);N(s=>Array.from(new Set([...s,...n])))},async reload(n){await v(n)}}),[x,v,O]);const w=l.useCallback(n=>n.kind==="more"?i.jsx(je,{type:"link",size:"small",onClick:()=>void M(n),style:{padding:0},children:c("common.more")}):n.kind==="region"?i.jsxs("span",{"data-testid":`tree-region-${n.code}`,children:[n.name," ",i.jsx(X.Text,{type:"secondary",children:n.code})," ",n.childCount>0&&i.jsx(P,{bordered:!1,children:c("tree.childCount",{count:n.childCount})}),n.siteCount>0&&i.jsx(P,{bordered:!1,color:"blue",children:c("tree.siteCount",{count:n.siteCount})})]}):i.jsxs("span",{"data-testid":`tree-site-${n.id}`,children:[i.jsx(qe,{style:{color:"#1677ff"}})," ",n.name," ",i.jsx(X.Text,{type:"secondary",style:{fontSize:12},children:A("SiteCategory",n.category)}),!n.enabled&&i.jsx(P,{color:"orange",style:{marginLeft:4},children:c("treePage.disabledSite")})]}),[c]),E=l.useMemo(()=>{const n=s=>{var m;const u=s.kind==="more"||(s.kind==="region"?s.childCount===0&&s.siteCount===0:s.childCount===0);return{key:s.key,title:w(s),isLeaf:u,selectable:s.kind!=="more"&&(r?r(s):!0),children:(m=x[s.key])==null?void 0:m.map(n)}};return C.map(n)},[C,x,w,r]);return i.jsx(Re,{blockNode:!0,treeData:E,height:o,expandedKeys:B,onExpand:n=>N(n),selectedKeys:t?[t]:[],loadData:async n=>{x[n.key]||await v(n.key)},loadedKeys:Object.keys(x),onSelect:(n,s)=>{const u=p.get(s.node.key);u&&u.kind!=="more"&&a(u)}})});T(`
  fragment SiteDetails on Site {
    id
    name
    category
    verificationPolicy
    isVehicle
    sector
    address
    latitude
    longitude
    geofenceRadius
    built
    enabled
    selfScanNeedsTemperature
    unit {
      id
      name
    }
    region {
      id
      code
      name
      ancestors {
        id
        code
        name
      }
    }
    parent {
      id
      name
      parent {
        id
        name
        parent {
          id
          name
        }
      }
    }
  }
`);const Ye=T(`
  query SiteScanners {
    accounts(first: 500, where: { roleIn: [SENIOR, INTERMEDIATE, ORDINARY] }, orderBy: [{ field: ROLE }]) {
      edges {
        node {
          id
          scopeSite {
            id
          }
          role
          status
          disabledReason
          lastActiveAt
          holder {
            id
            name
            phoneMasked
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);function Je(e,t){return e==null||t==null?null:`${e.toFixed(6)}, ${t.toFixed(6)}`}function Ze({siteId:e}){var g;const{t}=G(),[{data:a,error:r}]=Oe({query:Ye,requestPolicy:"cache-and-network"});if(r)return i.jsx(Ee,{error:r});const o=((g=a==null?void 0:a.accounts.edges)==null?void 0:g.map(c=>c.node).filter(c=>{var f;return((f=c.scopeSite)==null?void 0:f.id)===e}))??[];return a&&o.length===0?i.jsx(ee,{image:ee.PRESENTED_IMAGE_SIMPLE,description:t("site.noScanners")}):i.jsx(te,{size:"small","data-testid":"site-scanners",dataSource:o,renderItem:c=>{var f,C;return i.jsx(te.Item,{children:i.jsxs(Ie,{wrap:!0,children:[i.jsx(P,{color:"blue",children:A("AccountRole",c.role)}),i.jsx("span",{children:((f=c.holder)==null?void 0:f.name)??"—"}),i.jsx(X.Text,{type:"secondary",children:(C=c.holder)==null?void 0:C.phoneMasked}),i.jsx(P,{color:c.status==="ACTIVE"?"green":"red",children:A("AccountStatus",c.status)}),c.disabledReason&&i.jsx(P,{children:A("AccountDisabledReason",c.disabledReason)})]})})}})}function et({site:e}){var r,o;const{t}=G(),a=Je(e.latitude,e.longitude);return i.jsxs(h,{column:{xs:1,sm:1,md:2},bordered:!0,size:"small","data-testid":"site-details",children:[i.jsx(h.Item,{label:t("site.name"),span:2,children:e.name}),i.jsx(h.Item,{label:t("site.category"),children:A("SiteCategory",e.category)}),i.jsx(h.Item,{label:t("site.policy"),children:i.jsx(P,{color:e.verificationPolicy==="MANDATORY"?"red":"gold",children:A("VerificationPolicy",e.verificationPolicy)})}),i.jsx(h.Item,{label:t("site.sector"),children:A("Sector",e.sector)}),i.jsx(h.Item,{label:t("site.unit"),children:((r=e.unit)==null?void 0:r.name)??t("common.none")}),i.jsx(h.Item,{label:t("site.address"),span:2,children:e.address||t("common.none")}),i.jsx(h.Item,{label:t("site.coordinates"),children:a?i.jsx(X.Text,{copyable:!0,children:a}):t("site.noCoordinates")}),i.jsx(h.Item,{label:t("site.geofenceRadius"),children:e.isVehicle?t("site.vehicle"):e.geofenceRadius>0?e.geofenceRadius:t("site.noGeofence")}),i.jsx(h.Item,{label:t("site.built"),children:i.jsx(P,{color:e.built?"green":"default",children:e.built?t("site.builtYes"):t("site.builtNo")})}),i.jsx(h.Item,{label:t("site.enabled"),children:i.jsx(P,{color:e.enabled?"green":"orange",children:e.enabled?t("site.enabledYes"):t("site.enabledNo")})}),i.jsx(h.Item,{label:t("site.region"),children:[...e.region.ancestors.map(g=>g.name),e.region.name].join(" / ")}),i.jsx(h.Item,{label:t("site.parent"),children:((o=e.parent)==null?void 0:o.name)??t("common.none")})]})}export{ce as B,We as J,qe as R,et as S,Ze as a,Ve as r,Fe as s};
