import{r as f,j as s}from"./react-DvMe2k-3.js";import{ag as H,a as N,m as Q,B as U,al as $,T as p,k,n as b,D as c,e as W,E as K,ar as L,f as X}from"./index-D9y_8fwR.js";import{R as Z}from"./EnvironmentOutlined-C0ospe-0.js";import{T as ee}from"./index-D2awatxo.js";import{E as te}from"./ErrorAlert-CXk-sniI.js";H("treePage",{population:"户籍人口",registrationTarget:"注册目标",subSites:"下级站点 {{count}}",disabledSite:"未启用",searchRegions:"区划",searchSites:"站点",root:"全部辖区"},{population:"Population",registrationTarget:"Registration target",subSites:"{{count}} sub-sites",disabledSite:"Not enabled",searchRegions:"Regions",searchSites:"Sites",root:"All regions"});const ne=b(`
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
`);b(`
  fragment TreeRegion on Region {
    id
    code
    name
    level
    childCount
    siteCount
  }
`);b(`
  fragment TreeSite on Site {
    id
    name
    category
    enabled
    children {
      totalCount
    }
  }
`);const se=b(`
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
`),oe=b(`
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
`),re=b(`
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
`),ae=n=>`r:${n}`,ie=n=>`s:${n}`,V=n=>({kind:"region",key:ae(n.id),...n}),z=n=>({kind:"site",key:ie(n.id),id:n.id,name:n.name,category:n.category,enabled:n.enabled,childCount:n.children.totalCount}),pe=f.forwardRef(function({selected:o,onSelect:g,selectable:h,height:S},C){const{t:i}=N(),u=Q(),[T,Y]=f.useState([]),[I,A]=f.useState({}),[J,q]=f.useState([]),[y]=f.useState(()=>new Map),[E]=f.useState(()=>{let e=()=>{};return{promise:new Promise(a=>e=a),resolve:e}});f.useEffect(()=>{u.query(ne,{}).toPromise().then(e=>{var a;const t=(((a=e.data)==null?void 0:a.regions.edges)??[]).map(d=>V(d.node));t.forEach(d=>y.set(d.key,d)),Y(t),E.resolve()})},[u,y,E]);const D=f.useCallback(async(e,t)=>{var j,P,m,M,O,B;const a=[],d={requestPolicy:"network-only"};if(e.kind==="region"){if(!t||t.what==="regions"){const l=await u.query(se,{id:e.id,after:(t==null?void 0:t.after)??null},d).toPromise(),r=(j=l.data)!=null&&j.node&&"children"in l.data.node?l.data.node.children:null;(P=r==null?void 0:r.edges)==null||P.forEach(R=>a.push(V(R.node))),r!=null&&r.pageInfo.hasNextPage&&a.push({kind:"more",key:`${e.key}:r:${r.pageInfo.endCursor}`,parent:e.key,what:"regions",after:r.pageInfo.endCursor})}if(!t||t.what==="sites"){const l=await u.query(oe,{id:e.id,after:(t==null?void 0:t.after)??null},d).toPromise(),r=(m=l.data)!=null&&m.node&&"sites"in l.data.node?l.data.node.sites:null,R=((M=r==null?void 0:r.edges)==null?void 0:M.map(x=>x.node))??[],G=new Set(R.map(x=>x.id));R.filter(x=>!x.parent||!G.has(x.parent.id)).forEach(x=>a.push(z(x))),r!=null&&r.pageInfo.hasNextPage&&a.push({kind:"more",key:`${e.key}:s:${r.pageInfo.endCursor}`,parent:e.key,what:"sites",after:r.pageInfo.endCursor})}}else if(e.kind==="site"){const l=await u.query(re,{id:e.id,after:(t==null?void 0:t.after)??null},d).toPromise(),r=(O=l.data)!=null&&O.node&&"children"in l.data.node?l.data.node.children:null;(B=r==null?void 0:r.edges)==null||B.forEach(R=>a.push(z(R.node))),r!=null&&r.pageInfo.hasNextPage&&a.push({kind:"more",key:`${e.key}:s:${r.pageInfo.endCursor}`,parent:e.key,what:"sites",after:r.pageInfo.endCursor})}return a.forEach(l=>y.set(l.key,l)),a},[u,y]),w=f.useCallback(async e=>{const t=y.get(e);if(!t)return;const a=await D(t);A(d=>({...d,[e]:a}))},[D,y]),_=async e=>{const t=y.get(e.parent);if(!t)return;const a=await D(t,{what:e.what,after:e.after});A(d=>{const j=(d[e.parent]??[]).filter(m=>m.key!==e.key),P=e.what==="regions"?[...j.filter(m=>m.kind==="region"),...a,...j.filter(m=>m.kind!=="region")]:[...j,...a];return{...d,[e.parent]:P}})};f.useImperativeHandle(C,()=>({async expandPath(e){await E.promise;for(const t of e)I[t]||await w(t);q(t=>Array.from(new Set([...t,...e])))},async reload(e){await w(e)}}),[I,w,E]);const v=f.useCallback(e=>e.kind==="more"?s.jsx(U,{type:"link",size:"small",onClick:()=>void _(e),style:{padding:0},children:i("common.more")}):e.kind==="region"?s.jsxs("span",{"data-testid":`tree-region-${e.code}`,children:[e.name," ",s.jsx($.Text,{type:"secondary",children:e.code})," ",e.childCount>0&&s.jsx(p,{bordered:!1,children:i("tree.childCount",{count:e.childCount})}),e.siteCount>0&&s.jsx(p,{bordered:!1,color:"blue",children:i("tree.siteCount",{count:e.siteCount})})]}):s.jsxs("span",{"data-testid":`tree-site-${e.id}`,children:[s.jsx(Z,{style:{color:"#1677ff"}})," ",e.name," ",s.jsx($.Text,{type:"secondary",style:{fontSize:12},children:k("SiteCategory",e.category)}),!e.enabled&&s.jsx(p,{color:"orange",style:{marginLeft:4},children:i("treePage.disabledSite")})]}),[i]),F=f.useMemo(()=>{const e=t=>{var d;const a=t.kind==="more"||(t.kind==="region"?t.childCount===0&&t.siteCount===0:t.childCount===0);return{key:t.key,title:v(t),isLeaf:a,selectable:t.kind!=="more"&&(h?h(t):!0),children:(d=I[t.key])==null?void 0:d.map(e)}};return T.map(e)},[T,I,v,h]);return s.jsx(ee,{blockNode:!0,treeData:F,height:S,expandedKeys:J,onExpand:e=>q(e),selectedKeys:o?[o]:[],loadData:async e=>{I[e.key]||await w(e.key)},loadedKeys:Object.keys(I),onSelect:(e,t)=>{const a=y.get(t.node.key);a&&a.kind!=="more"&&g(a)}})});b(`
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
`);const de=b(`
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
`);function le(n,o){return n==null||o==null?null:`${n.toFixed(6)}, ${o.toFixed(6)}`}function ye({siteId:n}){var C;const{t:o}=N(),[{data:g,error:h}]=W({query:de,requestPolicy:"cache-and-network"});if(h)return s.jsx(te,{error:h});const S=((C=g==null?void 0:g.accounts.edges)==null?void 0:C.map(i=>i.node).filter(i=>{var u;return((u=i.scopeSite)==null?void 0:u.id)===n}))??[];return g&&S.length===0?s.jsx(K,{image:K.PRESENTED_IMAGE_SIMPLE,description:o("site.noScanners")}):s.jsx(L,{size:"small","data-testid":"site-scanners",dataSource:S,renderItem:i=>{var u,T;return s.jsx(L.Item,{children:s.jsxs(X,{wrap:!0,children:[s.jsx(p,{color:"blue",children:k("AccountRole",i.role)}),s.jsx("span",{children:((u=i.holder)==null?void 0:u.name)??"—"}),s.jsx($.Text,{type:"secondary",children:(T=i.holder)==null?void 0:T.phoneMasked}),s.jsx(p,{color:i.status==="ACTIVE"?"green":"red",children:k("AccountStatus",i.status)}),i.disabledReason&&s.jsx(p,{children:k("AccountDisabledReason",i.disabledReason)})]})})}})}function me({site:n}){var h,S;const{t:o}=N(),g=le(n.latitude,n.longitude);return s.jsxs(c,{column:{xs:1,sm:1,md:2},bordered:!0,size:"small","data-testid":"site-details",children:[s.jsx(c.Item,{label:o("site.name"),span:2,children:n.name}),s.jsx(c.Item,{label:o("site.category"),children:k("SiteCategory",n.category)}),s.jsx(c.Item,{label:o("site.policy"),children:s.jsx(p,{color:n.verificationPolicy==="MANDATORY"?"red":"gold",children:k("VerificationPolicy",n.verificationPolicy)})}),s.jsx(c.Item,{label:o("site.sector"),children:k("Sector",n.sector)}),s.jsx(c.Item,{label:o("site.unit"),children:((h=n.unit)==null?void 0:h.name)??o("common.none")}),s.jsx(c.Item,{label:o("site.address"),span:2,children:n.address||o("common.none")}),s.jsx(c.Item,{label:o("site.coordinates"),children:g?s.jsx($.Text,{copyable:!0,children:g}):o("site.noCoordinates")}),s.jsx(c.Item,{label:o("site.geofenceRadius"),children:n.isVehicle?o("site.vehicle"):n.geofenceRadius>0?n.geofenceRadius:o("site.noGeofence")}),s.jsx(c.Item,{label:o("site.built"),children:s.jsx(p,{color:n.built?"green":"default",children:n.built?o("site.builtYes"):o("site.builtNo")})}),s.jsx(c.Item,{label:o("site.enabled"),children:s.jsx(p,{color:n.enabled?"green":"orange",children:n.enabled?o("site.enabledYes"):o("site.enabledNo")})}),s.jsx(c.Item,{label:o("site.region"),children:[...n.region.ancestors.map(C=>C.name),n.region.name].join(" / ")}),s.jsx(c.Item,{label:o("site.parent"),children:((S=n.parent)==null?void 0:S.name)??o("common.none")})]})}export{pe as J,me as S,ye as a,ae as r,ie as s};
