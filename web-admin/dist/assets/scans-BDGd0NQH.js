import{r as h,j as n,m as F,L as T}from"./react-DvMe2k-3.js";import{ag as Y,a as x,d as _,e as N,S as D,n as E,ak as q,B as C,aY as P,f as b,al as j,an as z,aZ as W,a_ as B,a$ as J,b as G,i as V,ap as y,k,b0 as H,j as K,T as $}from"./index-D9y_8fwR.js";import{E as v}from"./ErrorAlert-CXk-sniI.js";import{R as L}from"./DownloadOutlined-BKfn91qK.js";import{M as Q}from"./index-BrdsfWYW.js";import{P as Z}from"./progress-BYfHDVML.js";/* empty css               */import{C as X}from"./ColourTag-99Vfay4l.js";import{T as ee}from"./Temperature-Cw2GQ2Rh.js";import{D as te}from"./index-kX-SnQor.js";import{C as ne}from"./index-RwzfDQ0l.js";import{F as se}from"./Table-4vjShmdK.js";import"./useBubbleLock-VaJzLZCH.js";import"./index-D2awatxo.js";import"./index-DGAZ7x6-.js";Y("scans",{title:"扫码记录",hint:"出入扫码记录（姓名、证件号码已脱敏）；健康码非绿码、体温异常、拒绝通行或有异常原因的记录标红显示。",subtree:"辖区/站点",subtreePlaceholder:"输入地区或站点名称",region:"地区",site:"站点",time:"扫码时间",colour:"健康码",decision:"核验结果",feverOnly:"仅体温异常",abnormal:"异常",reset:"清除筛选",name:"姓名",idNumber:"证件号码",method:"扫码类型",place:"扫码点",scanner:"扫码员",scannedAt:"扫码时间",temperature:"体温",reasons:"异常原因",actions:"查看详情",person:"人员",noPerson:"未注册人员",prev:"上一页",next:"下一页",pageNo:"第 {{n}} 页",pageSize:"每页 {{n}} 条",count:"统计总数",counted:"共 {{n}} 条",export:"导出 Excel",exportTitle:"导出扫码记录",exporting:"正在导出：{{rows}} / {{total}} 条",exportDone:"导出完成，共 {{rows}} 条",exportFailed:"导出失败：{{reason}}",download:"下载文件",close:"关闭",empty:"没有符合条件的扫码记录",methods:{SCAN_CODE:"扫码",SHOW_CODE:"亮码",SELF_SCAN:"自助扫码",MANUAL:"手工登记"},noColour:"无"},{title:"Scan records",hint:"Door scan records (names and ID numbers masked); rows with a code other than green, a fever, a denial or an alert reason are shown in red.",subtree:"Region/site",subtreePlaceholder:"Type a region or site name",region:"Region",site:"Site",time:"Scanned",colour:"Code",decision:"Decision",feverOnly:"Fever only",abnormal:"Abnormal",reset:"Clear filters",name:"Name",idNumber:"ID number",method:"Method",place:"Place",scanner:"Scanner",scannedAt:"Scanned at",temperature:"Temperature",reasons:"Alert reasons",actions:"Details",person:"Person",noPerson:"Not registered",prev:"Previous page",next:"Next page",pageNo:"Page {{n}}",pageSize:"{{n}} a page",count:"Count all",counted:"{{n}} in all",export:"Export Excel",exportTitle:"Exporting scan records",exporting:"Exporting: {{rows}} / {{total}} rows",exportDone:"Export finished: {{rows}} rows",exportFailed:"The export failed: {{reason}}",download:"Download",close:"Close",empty:"No scan records match",methods:{SCAN_CODE:"Scanned code",SHOW_CODE:"Shown code",SELF_SCAN:"Self-scan",MANUAL:"Manual"},noColour:"None"});const oe=E(`
  query ScanSubtreeSearch($regions: RegionWhereInput, $sites: SiteWhereInput) {
    regions(first: 10, where: $regions) {
      edges {
        node {
          id
          name
          code
        }
      }
    }
    sites(first: 10, where: $sites) {
      edges {
        node {
          id
          name
          region {
            id
            name
          }
        }
      }
    }
  }
`),re=E(`
  query ScanSubtreeNode($id: ID!) {
    node(id: $id) {
      id
      ... on Region {
        name
      }
      ... on Site {
        name
      }
    }
  }
`);function ae(t,o=300){const[e,r]=h.useState(t);return h.useEffect(()=>{const i=setTimeout(()=>r(t),o);return()=>clearTimeout(i)},[t,o]),e}function ie({value:t,onChange:o}){var g,m,R,I;const{t:e}=x(),{viewer:r}=_(),[i,s]=h.useState(""),a=ae(i.trim()),c=r!=null&&r.acting.scopeSite||(g=r==null?void 0:r.acting.scopeRegion)==null?void 0:g.id,[l]=N({query:oe,variables:{regions:r!=null&&r.acting.scopeSite?{idIn:[]}:{nameContains:a,...c?{within:c}:{}},sites:{nameContains:a}},pause:a===""}),[u]=N({query:re,variables:{id:t??""},pause:!t}),S=(m=u.data)!=null&&m.node&&"name"in u.data.node?u.data.node.name:void 0,p=(((R=l.data)==null?void 0:R.regions.edges)??[]).flatMap(d=>d!=null&&d.node?[{value:d.node.id,label:`${d.node.name}（${d.node.code}）`}]:[]),w=(((I=l.data)==null?void 0:I.sites.edges)??[]).flatMap(d=>d!=null&&d.node?[{value:d.node.id,label:`${d.node.name} · ${d.node.region.name}`}]:[]),f=[...p.length?[{label:e("scans.region"),options:p}]:[],...w.length?[{label:e("scans.site"),options:w}]:[]];return t&&S&&!p.some(d=>d.value===t)&&!w.some(d=>d.value===t)&&f.unshift({label:e("scans.subtree"),options:[{value:t,label:S}]}),n.jsx(D,{"data-testid":"filter-subtree",showSearch:!0,allowClear:!0,value:t,placeholder:e("scans.subtreePlaceholder"),filterOption:!1,onSearch:s,onChange:d=>o(d||void 0),loading:l.fetching,options:f,notFoundContent:null,style:{width:"100%"}})}const ce=E(`
  mutation StartScansExport($where: ScanWhereInput) {
    startScansExport(where: $where) {
      id
      kind
      status
      progress
      rows
      total
      downloadUrl
      failure
    }
  }
`),le=E(`
  query ScansExportJob($id: ID!) {
    statsExportJob(id: $id) {
      id
      status
      progress
      rows
      total
      downloadUrl
      failure
    }
  }
`);async function A(t){const o=W(),e=await fetch(t,{headers:{...o?{Authorization:`Bearer ${o.accessToken}`}:{},"Accept-Language":B()}});if(!e.ok)throw new J(e.status);const r=e.headers.get("Content-Disposition")??"",i=/filename\*=UTF-8''([^;]+)/.exec(r),s=i?decodeURIComponent(i[1]):"scans.xlsx",a=await e.blob(),c=URL.createObjectURL(a),l=document.createElement("a");l.href=c,l.download=s,document.body.appendChild(l),l.click(),l.remove(),setTimeout(()=>URL.revokeObjectURL(c),1e4)}function de({id:t,onClose:o}){var f;const{t:e}=x(),[r,i]=N({query:le,variables:{id:t},requestPolicy:"network-only"}),s=(f=r.data)==null?void 0:f.statsExportJob,a=!s||s.status==="RUNNING",[c,l]=h.useState(!1),[u,S]=h.useState(null);h.useEffect(()=>{if(!a)return;const g=setTimeout(()=>i({requestPolicy:"network-only"}),400);return()=>clearTimeout(g)},[a,r.data,i]),h.useEffect(()=>{(s==null?void 0:s.status)==="DONE"&&s.downloadUrl&&!c&&(l(!0),A(s.downloadUrl).catch(g=>S(P(g))))},[s,c]);const p=s?Math.floor(s.progress*100):0,w=(s==null?void 0:s.total)??0;return n.jsxs(b,{direction:"vertical",style:{width:"100%"},children:[n.jsx(v,{error:r.error}),n.jsx(Z,{"data-testid":"export-progress",percent:p,status:(s==null?void 0:s.status)==="FAILED"?"exception":(s==null?void 0:s.status)==="DONE"?"success":"active"}),(s==null?void 0:s.status)==="RUNNING"&&n.jsx(j.Text,{children:e("scans.exporting",{rows:s.rows,total:w})}),(s==null?void 0:s.status)==="DONE"&&n.jsxs(b,{wrap:!0,children:[n.jsx(j.Text,{"data-testid":"export-done",children:e("scans.exportDone",{rows:s.rows})}),n.jsx(C,{icon:n.jsx(L,{}),onClick:()=>s.downloadUrl&&A(s.downloadUrl).catch(g=>S(P(g))),children:e("scans.download")})]}),((s==null?void 0:s.status)==="FAILED"||u)&&n.jsx(z,{type:"error",showIcon:!0,message:e("scans.exportFailed",{reason:u||(s==null?void 0:s.failure)||e("errors.exportIncomplete")})}),n.jsx(C,{onClick:o,children:e("scans.close")})]})}function ue({where:t}){const{t:o}=x(),[e,r]=q(ce),[i,s]=h.useState(null),[a,c]=h.useState(!1);return n.jsxs(n.Fragment,{children:[n.jsx(C,{icon:n.jsx(L,{}),"data-testid":"export",loading:e.fetching,onClick:async()=>{s(null),c(!0);const l=await r({where:t});l.data&&s(l.data.startScansExport.id)},children:o("scans.export")}),n.jsxs(Q,{open:a,title:o("scans.exportTitle"),footer:null,onCancel:()=>c(!1),destroyOnClose:!0,children:[n.jsx(v,{error:e.error}),i&&n.jsx(de,{id:i,onClose:()=>c(!1)})]})]})}E(`
  fragment ScanRow on Scan {
    id
    nameMasked
    idNumberMasked
    method
    siteName
    scannerName
    serverTime
    colour
    temperature
    fever
    decision
    alertReasons
    site {
      id
    }
    account {
      id
    }
    person {
      id
    }
  }
`);const me=E(`
  query ScanPage($where: ScanWhereInput, $first: Int!, $after: Cursor) {
    scans(first: $first, after: $after, where: $where, orderBy: [{ field: SERVER_TIME, direction: DESC }]) {
      edges {
        node {
          ...ScanRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`),he=E(`
  query ScanCount($where: ScanWhereInput) {
    scans(first: 0, where: $where) {
      totalCount
    }
  }
`),M=["GREEN","YELLOW","ORANGE","RED"],pe=["PASS","DENY"],U=[10,20,50,100];function O(t){return t.alertReasons.length>0||t.fever||t.colour!=null&&t.colour!=="GREEN"||t.decision==="DENY"}function ge(t){const o={},e=t.get("within");e&&(o.within=e);const r=t.get("from");r&&y(r).isValid()&&(o.serverTimeGTE=y(r).startOf("day").toISOString());const i=t.get("to");i&&y(i).isValid()&&(o.serverTimeLT=y(i).add(1,"day").startOf("day").toISOString());const s=(t.get("colour")??"").split(",").filter(c=>M.includes(c));s.length&&(o.colourIn=s);const a=t.get("decision");return(a==="PASS"||a==="DENY")&&(o.decision=a),t.get("fever")==="1"&&(o.fever=!0),o}function fe(){const{t}=x();return h.useMemo(()=>[{title:t("scans.name"),dataIndex:"nameMasked",key:"name",width:90},{title:t("scans.idNumber"),dataIndex:"idNumberMasked",key:"id",width:170},{title:t("scans.method"),key:"method",width:90,render:(o,e)=>t(`scans.methods.${e.method}`)},{title:t("scans.place"),key:"site",render:(o,e)=>e.site?n.jsx(T,{to:`/sites/${e.site.id}`,children:e.siteName}):e.siteName},{title:t("scans.scanner"),key:"scanner",width:90,render:(o,e)=>e.account?n.jsx(T,{to:`/accounts?account=${encodeURIComponent(e.account.id)}`,children:e.scannerName}):e.scannerName},{title:t("scans.scannedAt"),key:"time",width:150,render:(o,e)=>y(e.serverTime).format("YYYY-MM-DD HH:mm:ss")},{title:t("scans.colour"),key:"colour",width:80,render:(o,e)=>n.jsx(X,{colour:e.colour,empty:n.jsx($,{children:t("scans.noColour")})})},{title:t("scans.temperature"),key:"temp",width:96,render:(o,e)=>n.jsx(ee,{value:e.temperature,fever:e.fever})},{title:t("scans.decision"),key:"decision",width:80,render:(o,e)=>n.jsx($,{color:e.decision==="DENY"?"red":"green",children:k("ScanDecision",e.decision)})},{title:t("scans.reasons"),key:"reasons",render:(o,e)=>e.alertReasons.map(r=>k("AlertReason",r)).join("、")},{title:t("scans.actions"),key:"actions",fixed:"right",width:100,render:(o,e)=>e.person?n.jsx(T,{to:`/persons/${e.person.id}`,children:t("scans.actions")}):n.jsx(j.Text,{type:"secondary",children:t("scans.noPerson")})}],[t])}function xe({params:t,setParams:o}){const{t:e}=x(),r=(a,c)=>{const l=new URLSearchParams(t);c?l.set(a,c):l.delete(a),o(l)},i=t.get("from"),s=t.get("to");return n.jsxs(b,{wrap:!0,style:{marginBottom:12},align:"center",children:[n.jsx("div",{style:{width:240},children:n.jsx(ie,{value:t.get("within")??void 0,onChange:a=>r("within",a)})}),n.jsx(te.RangePicker,{"data-testid":"filter-time",allowEmpty:[!0,!0],value:[i?y(i):null,s?y(s):null],onChange:a=>{const c=new URLSearchParams(t),[l,u]=a??[null,null];l?c.set("from",l.format("YYYY-MM-DD")):c.delete("from"),u?c.set("to",u.format("YYYY-MM-DD")):c.delete("to"),o(c)}}),n.jsx(D,{mode:"multiple",allowClear:!0,"data-testid":"filter-colour",style:{minWidth:150},placeholder:e("scans.colour"),value:(t.get("colour")??"").split(",").filter(Boolean),onChange:a=>r("colour",a.join(",")),options:M.map(a=>({value:a,label:k("Colour",a)}))}),n.jsx(D,{allowClear:!0,"data-testid":"filter-decision",style:{minWidth:120},placeholder:e("scans.decision"),value:t.get("decision")??void 0,onChange:a=>r("decision",a),options:pe.map(a=>({value:a,label:k("ScanDecision",a)}))}),n.jsx(ne,{"data-testid":"filter-fever",checked:t.get("fever")==="1",onChange:a=>r("fever",a.target.checked?"1":null),children:e("scans.feverOnly")}),n.jsx(C,{onClick:()=>o(new URLSearchParams(t.get("size")?{size:t.get("size")}:{})),children:e("scans.reset")})]})}function Se({where:t}){const{t:o}=x(),[e,r]=h.useState(!1),[i]=N({query:he,variables:{where:t},pause:!e,requestPolicy:"network-only"});return e&&i.data?n.jsx(j.Text,{"data-testid":"scan-count",children:o("scans.counted",{n:i.data.scans.totalCount})}):n.jsxs(n.Fragment,{children:[n.jsx(v,{error:i.error}),n.jsx(C,{"data-testid":"count",loading:i.fetching,onClick:()=>r(!0),children:o("scans.count")})]})}function we({where:t,size:o,onSize:e}){var f,g;const{t:r}=x(),i=fe(),[s,a]=h.useState([]),[c,l]=h.useState(null),[u]=N({query:me,variables:{where:t,first:o,after:c}}),S=(((f=u.data)==null?void 0:f.scans.edges)??[]).flatMap(m=>m!=null&&m.node?[m.node]:[]),p=(g=u.data)==null?void 0:g.scans.pageInfo,w=n.jsxs(b,{children:[n.jsx(C,{icon:n.jsx(H,{}),disabled:s.length===0,onClick:()=>{l(s[s.length-1]),a(s.slice(0,-1))},children:r("scans.prev")}),n.jsx(j.Text,{"data-testid":"page-no",children:r("scans.pageNo",{n:s.length+1})}),n.jsxs(C,{disabled:!(p!=null&&p.hasNextPage),onClick:()=>{a([...s,c]),l((p==null?void 0:p.endCursor)??null)},children:[r("scans.next")," ",n.jsx(K,{})]}),n.jsx(D,{value:o,onChange:e,options:U.map(m=>({value:m,label:r("scans.pageSize",{n:m})}))})]});return n.jsxs(n.Fragment,{children:[n.jsx(v,{error:u.error}),n.jsx(se,{rowKey:"id",size:"small",loading:u.fetching,columns:i,dataSource:S,pagination:!1,scroll:{x:1100},locale:{emptyText:r("scans.empty")},rowClassName:m=>O(m)?"scan-abnormal":"",onRow:m=>({"data-abnormal":O(m)?"true":"false"})}),n.jsx("div",{style:{marginTop:12},children:w})]})}function Oe(){const{t}=x(),o=G(),[e,r]=F(),i=e.toString(),s=h.useMemo(()=>ge(new URLSearchParams(i)),[i]),a=U.includes(Number(e.get("size")))?Number(e.get("size")):20,c=JSON.stringify(s);return n.jsxs(n.Fragment,{children:[n.jsxs(b,{style:{width:"100%",justifyContent:"space-between",marginBottom:8},wrap:!0,children:[n.jsx(j.Title,{level:3,style:{margin:0},children:t("scans.title")}),n.jsxs(b,{wrap:!0,children:[n.jsx(Se,{where:s},c),o.can("scan","export")&&n.jsx(ue,{where:s})]})]}),n.jsx(j.Paragraph,{type:"secondary",children:t("scans.hint")}),n.jsxs(V,{size:"small",children:[n.jsx(xe,{params:e,setParams:r}),n.jsx(we,{where:s,size:a,onSize:l=>{const u=new URLSearchParams(e);u.set("size",String(l)),r(u)}},c+a)]})]})}export{O as abnormal,Oe as default,ge as whereOf};
