import{j as c,r as l}from"./react-DvMe2k-3.js";import{T as P,k as g,a as S,e as w,S as x,f as R,n as $}from"./index-D9y_8fwR.js";function T({of:s,value:e,color:o}){return e?c.jsx(P,{color:o,children:g(s,e)}):null}const v=$(`
  query PickSites($where: SiteWhereInput) {
    sites(first: 20, where: $where) {
      edges {
        node {
          id
          name
          enabled
          region {
            id
            name
          }
          parent {
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
`),y=$(`
  query PickRegions($where: RegionWhereInput) {
    regions(first: 20, where: $where) {
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
  }
`);function k(s,e=300){const[o,r]=l.useState(s);return l.useEffect(()=>{const a=setTimeout(()=>r(s),e);return()=>clearTimeout(a)},[s,e]),o}function b({value:s,onChange:e,id:o,placeholder:r}){var p;const{t:a}=S(),[f,m]=l.useState(""),i=k(f.trim()),d=/^\d+$/.test(i)?{codeHasPrefix:i}:{nameContains:i},[u]=w({query:y,variables:{where:d},pause:i===""}),h=(((p=u.data)==null?void 0:p.regions.edges)??[]).flatMap(t=>t!=null&&t.node?[{value:t.node.id,label:`${t.node.name}（${g("RegionLevel",t.node.level)} ${t.node.code}）`}]:[]);return c.jsx(x,{id:o,showSearch:!0,allowClear:!0,value:s,placeholder:r??a("accounts.pickRegion"),filterOption:!1,onSearch:m,onChange:t=>e==null?void 0:e(t),loading:u.fetching,options:h,notFoundContent:null,style:{width:"100%"}})}function E({value:s,onChange:e,id:o}){var t;const{t:r}=S(),[a,f]=l.useState(),[m,i]=l.useState(""),d=k(m.trim()),u={nameContains:d||void 0,within:a},[h]=w({query:v,variables:{where:u},pause:d===""&&!a}),p=(((t=h.data)==null?void 0:t.sites.edges)??[]).flatMap(n=>n!=null&&n.node?[{value:n.node.id,label:`${n.node.name} · ${n.node.parent?n.node.parent.name+" · ":""}${n.node.region.name}`}]:[]);return c.jsxs(R,{direction:"vertical",style:{width:"100%"},children:[c.jsx(b,{value:a,onChange:f,placeholder:r("accounts.limitRegion")}),c.jsx(x,{id:o,"data-testid":"site-picker",showSearch:!0,allowClear:!0,value:s,placeholder:r("accounts.pickSite"),filterOption:!1,onSearch:i,onChange:n=>e==null?void 0:e(n),loading:h.fetching,options:p,notFoundContent:null,style:{width:"100%"}})]})}export{T as E,b as R,E as S};
