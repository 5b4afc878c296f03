import{r as m,j as s,m as Y,L as O}from"./react-DvMe2k-3.js";import{ag as U,a as x,d as F,e as b,S as j,n as R,ak as M,B as y,f as C,al as N,an as _,aX as W,aY as q,b as G,i as z,ap as E,aZ as B,j as V,T as P}from"./index-B-LMANHv.js";import{E as D}from"./ErrorAlert-C8rc3Xln.js";import{R as $}from"./DownloadOutlined-CqpVJ5oU.js";import{M as J}from"./index-CucHQbnf.js";import{P as H}from"./progress-CnAtmsOG.js";import{D as K}from"./index-Dn1021sx.js";import{C as Q}from"./index-B8VDWYQQ.js";import{F as X}from"./Table-21_4Iz1k.js";import"./useBubbleLock-BSTPz3pm.js";import"./index-BQtOCe_F.js";import"./index-DY0xtUBu.js";U("scans",{title:"扫码记录",hint:"出入扫码记录（姓名、证件号码已脱敏）；健康码非绿码、体温异常、拒绝通行或有异常原因的记录标红显示。",subtree:"辖区/站点",subtreePlaceholder:"输入地区或站点名称",region:"地区",site:"站点",time:"扫码时间",colour:"健康码",decision:"核验结果",feverOnly:"仅体温异常",abnormal:"异常",reset:"清除筛选",name:"姓名",idNumber:"证件号码",method:"扫码类型",place:"扫码点",scanner:"扫码员",scannedAt:"扫码时间",temperature:"体温",reasons:"异常原因",actions:"查看详情",person:"人员",noPerson:"未注册人员",prev:"上一页",next:"下一页",pageNo:"第 {{n}} 页",pageSize:"每页 {{n}} 条",count:"统计总数",counted:"共 {{n}} 条",export:"导出 Excel",exportTitle:"导出扫码记录",exporting:"正在导出：{{rows}} / {{total}} 条",exportDone:"导出完成，共 {{rows}} 条",exportFailed:"导出失败：{{reason}}",download:"下载文件",close:"关闭",empty:"没有符合条件的扫码记录",methods:{SCAN_CODE:"扫码",SHOW_CODE:"亮码",SELF_SCAN:"自助扫码",MANUAL:"手工登记"},colours:{GREEN:"绿码",YELLOW:"黄码",ORANGE:"橙码",RED:"红码",NONE:"无"},decisions:{PASS:"通过",DENY:"拒绝"},reasonLabels:{FEVER:"体温异常",COLOUR_YELLOW:"黄码",COLOUR_ORANGE:"橙码",COLOUR_RED:"红码",REFER:"需核实身份",DENY:"拒绝通行"}},{title:"Scan records",hint:"Door scan records (names and ID numbers masked); rows with a code other than green, a fever, a denial or an alert reason are shown in red.",subtree:"Region/site",subtreePlaceholder:"Type a region or site name",region:"Region",site:"Site",time:"Scanned",colour:"Code",decision:"Decision",feverOnly:"Fever only",abnormal:"Abnormal",reset:"Clear filters",name:"Name",idNumber:"ID number",method:"Method",place:"Place",scanner:"Scanner",scannedAt:"Scanned at",temperature:"Temperature",reasons:"Alert reasons",actions:"Details",person:"Person",noPerson:"Not registered",prev:"Previous page",next:"Next page",pageNo:"Page {{n}}",pageSize:"{{n}} a page",count:"Count all",counted:"{{n}} in all",export:"Export Excel",exportTitle:"Exporting scan records",exporting:"Exporting: {{rows}} / {{total}} rows",exportDone:"Export finished: {{rows}} rows",exportFailed:"The export failed: {{reason}}",download:"Download",close:"Close",empty:"No scan records match",methods:{SCAN_CODE:"Scanned code",SHOW_CODE:"Shown code",SELF_SCAN:"Self-scan",MANUAL:"Manual"},colours:{GREEN:"Green",YELLOW:"Yellow",ORANGE:"Orange",RED:"Red",NONE:"None"},decisions:{PASS:"Pass",DENY:"Deny"},reasonLabels:{FEVER:"Fever",COLOUR_YELLOW:"Yellow code",COLOUR_ORANGE:"Orange code",COLOUR_RED:"Red code",REFER:"Identity to check",DENY:"Denied"}});const Z=R(`
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
`),ee=R(`
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
`);function te(e,o=300){const[t,r]=m.useState(e);return m.useEffect(()=>{const c=setTimeout(()=>r(e),o);return()=>clearTimeout(c)},[e,o]),t}function se({value:e,onChange:o}){var p,h,k,L;const{t}=x(),{viewer:r}=F(),[c,n]=m.useState(""),a=te(c.trim()),i=r!=null&&r.acting.scopeSite||(p=r==null?void 0:r.acting.scopeRegion)==null?void 0:p.id,[l]=b({query:Z,variables:{regions:r!=null&&r.acting.scopeSite?{idIn:[]}:{nameContains:a,...i?{within:i}:{}},sites:{nameContains:a}},pause:a===""}),[u]=b({query:ee,variables:{id:e??""},pause:!e}),S=(h=u.data)!=null&&h.node&&"name"in u.data.node?u.data.node.name:void 0,g=(((k=l.data)==null?void 0:k.regions.edges)??[]).flatMap(d=>d!=null&&d.node?[{value:d.node.id,label:`${d.node.name}（${d.node.code}）`}]:[]),w=(((L=l.data)==null?void 0:L.sites.edges)??[]).flatMap(d=>d!=null&&d.node?[{value:d.node.id,label:`${d.node.name} · ${d.node.region.name}`}]:[]),f=[...g.length?[{label:t("scans.region"),options:g}]:[],...w.length?[{label:t("scans.site"),options:w}]:[]];return e&&S&&!g.some(d=>d.value===e)&&!w.some(d=>d.value===e)&&f.unshift({label:t("scans.subtree"),options:[{value:e,label:S}]}),s.jsx(j,{"data-testid":"filter-subtree",showSearch:!0,allowClear:!0,value:e,placeholder:t("scans.subtreePlaceholder"),filterOption:!1,onSearch:n,onChange:d=>o(d||void 0),loading:l.fetching,options:f,notFoundContent:null,style:{width:"100%"}})}const ne=R(`
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
`),oe=R(`
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
`);async function v(e){const o=W(),t=await fetch(e,{headers:{...o?{Authorization:`Bearer ${o.accessToken}`}:{},"Accept-Language":q()}});if(!t.ok)throw new Error(`HTTP ${t.status}`);const r=t.headers.get("Content-Disposition")??"",c=/filename\*=UTF-8''([^;]+)/.exec(r),n=c?decodeURIComponent(c[1]):"scans.xlsx",a=await t.blob(),i=URL.createObjectURL(a),l=document.createElement("a");l.href=i,l.download=n,document.body.appendChild(l),l.click(),l.remove(),setTimeout(()=>URL.revokeObjectURL(i),1e4)}function re({id:e,onClose:o}){var f;const{t}=x(),[r,c]=b({query:oe,variables:{id:e},requestPolicy:"network-only"}),n=(f=r.data)==null?void 0:f.statsExportJob,a=!n||n.status==="RUNNING",[i,l]=m.useState(!1),[u,S]=m.useState(null);m.useEffect(()=>{if(!a)return;const p=setTimeout(()=>c({requestPolicy:"network-only"}),400);return()=>clearTimeout(p)},[a,r.data,c]),m.useEffect(()=>{(n==null?void 0:n.status)==="DONE"&&n.downloadUrl&&!i&&(l(!0),v(n.downloadUrl).catch(p=>S(p.message)))},[n,i]);const g=n?Math.floor(n.progress*100):0,w=(n==null?void 0:n.total)??0;return s.jsxs(C,{direction:"vertical",style:{width:"100%"},children:[s.jsx(D,{error:r.error}),s.jsx(H,{"data-testid":"export-progress",percent:g,status:(n==null?void 0:n.status)==="FAILED"?"exception":(n==null?void 0:n.status)==="DONE"?"success":"active"}),(n==null?void 0:n.status)==="RUNNING"&&s.jsx(N.Text,{children:t("scans.exporting",{rows:n.rows,total:w})}),(n==null?void 0:n.status)==="DONE"&&s.jsxs(C,{wrap:!0,children:[s.jsx(N.Text,{"data-testid":"export-done",children:t("scans.exportDone",{rows:n.rows})}),s.jsx(y,{icon:s.jsx($,{}),onClick:()=>n.downloadUrl&&v(n.downloadUrl).catch(p=>S(p.message)),children:t("scans.download")})]}),((n==null?void 0:n.status)==="FAILED"||u)&&s.jsx(_,{type:"error",showIcon:!0,message:t("scans.exportFailed",{reason:(n==null?void 0:n.failure)??u??""})}),s.jsx(y,{onClick:o,children:t("scans.close")})]})}function ae({where:e}){const{t:o}=x(),[t,r]=M(ne),[c,n]=m.useState(null),[a,i]=m.useState(!1);return s.jsxs(s.Fragment,{children:[s.jsx(y,{icon:s.jsx($,{}),"data-testid":"export",loading:t.fetching,onClick:async()=>{n(null),i(!0);const l=await r({where:e});l.data&&n(l.data.startScansExport.id)},children:o("scans.export")}),s.jsxs(J,{open:a,title:o("scans.exportTitle"),footer:null,onCancel:()=>i(!1),destroyOnClose:!0,children:[s.jsx(D,{error:t.error}),c&&s.jsx(re,{id:c,onClose:()=>i(!1)})]})]})}R(`
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
`);const ce=R(`
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
`),ie=R(`
  query ScanCount($where: ScanWhereInput) {
    scans(first: 0, where: $where) {
      totalCount
    }
  }
`),A=["GREEN","YELLOW","ORANGE","RED"],le=["PASS","DENY"],I=[10,20,50,100];function T(e){return e.alertReasons.length>0||e.fever||e.colour!=null&&e.colour!=="GREEN"||e.decision==="DENY"}function de(e){const o={},t=e.get("within");t&&(o.within=t);const r=e.get("from");r&&E(r).isValid()&&(o.serverTimeGTE=E(r).startOf("day").toISOString());const c=e.get("to");c&&E(c).isValid()&&(o.serverTimeLT=E(c).add(1,"day").startOf("day").toISOString());const n=(e.get("colour")??"").split(",").filter(i=>A.includes(i));n.length&&(o.colourIn=n);const a=e.get("decision");return(a==="PASS"||a==="DENY")&&(o.decision=a),e.get("fever")==="1"&&(o.fever=!0),o}function ue(e,o){const r={GREEN:"green",YELLOW:"gold",ORANGE:"orange",RED:"red"}[o??""]??"default";return s.jsx(P,{color:r,children:e(`scans.colours.${o??"NONE"}`)})}function he(){const{t:e}=x();return m.useMemo(()=>[{title:e("scans.name"),dataIndex:"nameMasked",key:"name",width:90},{title:e("scans.idNumber"),dataIndex:"idNumberMasked",key:"id",width:170},{title:e("scans.method"),key:"method",width:90,render:(o,t)=>e(`scans.methods.${t.method}`)},{title:e("scans.place"),key:"site",render:(o,t)=>t.site?s.jsx(O,{to:`/sites/${t.site.id}`,children:t.siteName}):t.siteName},{title:e("scans.scanner"),key:"scanner",width:90,render:(o,t)=>t.account?s.jsx(O,{to:`/accounts?account=${encodeURIComponent(t.account.id)}`,children:t.scannerName}):t.scannerName},{title:e("scans.scannedAt"),key:"time",width:150,render:(o,t)=>E(t.serverTime).format("YYYY-MM-DD HH:mm:ss")},{title:e("scans.colour"),key:"colour",width:80,render:(o,t)=>ue(e,t.colour)},{title:e("scans.temperature"),key:"temp",width:96,render:(o,t)=>s.jsxs("span",{style:t.fever?{color:"#cf1322",fontWeight:600}:void 0,children:[t.temperature.toFixed(1)," ℃"]})},{title:e("scans.decision"),key:"decision",width:80,render:(o,t)=>s.jsx(P,{color:t.decision==="DENY"?"red":"green",children:e(`scans.decisions.${t.decision}`)})},{title:e("scans.reasons"),key:"reasons",render:(o,t)=>t.alertReasons.map(r=>e(`scans.reasonLabels.${r}`,{defaultValue:r})).join("、")},{title:e("scans.actions"),key:"actions",fixed:"right",width:100,render:(o,t)=>t.person?s.jsx(O,{to:`/persons/${t.person.id}`,children:e("scans.actions")}):s.jsx(N.Text,{type:"secondary",children:e("scans.noPerson")})}],[e])}function me({params:e,setParams:o}){const{t}=x(),r=(a,i)=>{const l=new URLSearchParams(e);i?l.set(a,i):l.delete(a),o(l)},c=e.get("from"),n=e.get("to");return s.jsxs(C,{wrap:!0,style:{marginBottom:12},align:"center",children:[s.jsx("div",{style:{width:240},children:s.jsx(se,{value:e.get("within")??void 0,onChange:a=>r("within",a)})}),s.jsx(K.RangePicker,{"data-testid":"filter-time",allowEmpty:[!0,!0],value:[c?E(c):null,n?E(n):null],onChange:a=>{const i=new URLSearchParams(e),[l,u]=a??[null,null];l?i.set("from",l.format("YYYY-MM-DD")):i.delete("from"),u?i.set("to",u.format("YYYY-MM-DD")):i.delete("to"),o(i)}}),s.jsx(j,{mode:"multiple",allowClear:!0,"data-testid":"filter-colour",style:{minWidth:150},placeholder:t("scans.colour"),value:(e.get("colour")??"").split(",").filter(Boolean),onChange:a=>r("colour",a.join(",")),options:A.map(a=>({value:a,label:t(`scans.colours.${a}`)}))}),s.jsx(j,{allowClear:!0,"data-testid":"filter-decision",style:{minWidth:120},placeholder:t("scans.decision"),value:e.get("decision")??void 0,onChange:a=>r("decision",a),options:le.map(a=>({value:a,label:t(`scans.decisions.${a}`)}))}),s.jsx(Q,{"data-testid":"filter-fever",checked:e.get("fever")==="1",onChange:a=>r("fever",a.target.checked?"1":null),children:t("scans.feverOnly")}),s.jsx(y,{onClick:()=>o(new URLSearchParams(e.get("size")?{size:e.get("size")}:{})),children:t("scans.reset")})]})}function ge({where:e}){const{t:o}=x(),[t,r]=m.useState(!1),[c]=b({query:ie,variables:{where:e},pause:!t,requestPolicy:"network-only"});return t&&c.data?s.jsx(N.Text,{"data-testid":"scan-count",children:o("scans.counted",{n:c.data.scans.totalCount})}):s.jsxs(s.Fragment,{children:[s.jsx(D,{error:c.error}),s.jsx(y,{"data-testid":"count",loading:c.fetching,onClick:()=>r(!0),children:o("scans.count")})]})}function pe({where:e,size:o,onSize:t}){var f,p;const{t:r}=x(),c=he(),[n,a]=m.useState([]),[i,l]=m.useState(null),[u]=b({query:ce,variables:{where:e,first:o,after:i}}),S=(((f=u.data)==null?void 0:f.scans.edges)??[]).flatMap(h=>h!=null&&h.node?[h.node]:[]),g=(p=u.data)==null?void 0:p.scans.pageInfo,w=s.jsxs(C,{children:[s.jsx(y,{icon:s.jsx(B,{}),disabled:n.length===0,onClick:()=>{l(n[n.length-1]),a(n.slice(0,-1))},children:r("scans.prev")}),s.jsx(N.Text,{"data-testid":"page-no",children:r("scans.pageNo",{n:n.length+1})}),s.jsxs(y,{disabled:!(g!=null&&g.hasNextPage),onClick:()=>{a([...n,i]),l((g==null?void 0:g.endCursor)??null)},children:[r("scans.next")," ",s.jsx(V,{})]}),s.jsx(j,{value:o,onChange:t,options:I.map(h=>({value:h,label:r("scans.pageSize",{n:h})}))})]});return s.jsxs(s.Fragment,{children:[s.jsx(D,{error:u.error}),s.jsx(X,{rowKey:"id",size:"small",loading:u.fetching,columns:c,dataSource:S,pagination:!1,scroll:{x:1100},locale:{emptyText:r("scans.empty")},rowClassName:h=>T(h)?"scan-abnormal":"",onRow:h=>({"data-abnormal":T(h)?"true":"false"})}),s.jsx("div",{style:{marginTop:12},children:w})]})}function Oe(){const{t:e}=x(),o=G(),[t,r]=Y(),c=t.toString(),n=m.useMemo(()=>de(new URLSearchParams(c)),[c]),a=I.includes(Number(t.get("size")))?Number(t.get("size")):20,i=JSON.stringify(n);return s.jsxs(s.Fragment,{children:[s.jsx("style",{children:`.scan-abnormal > td { background: #fff1f0 !important; color: #cf1322; }
.scan-abnormal a { color: #cf1322; }`}),s.jsxs(C,{style:{width:"100%",justifyContent:"space-between",marginBottom:8},wrap:!0,children:[s.jsx(N.Title,{level:3,style:{margin:0},children:e("scans.title")}),s.jsxs(C,{wrap:!0,children:[s.jsx(ge,{where:n},i),o.can("scan","export")&&s.jsx(ae,{where:n})]})]}),s.jsx(N.Paragraph,{type:"secondary",children:e("scans.hint")}),s.jsxs(z,{size:"small",children:[s.jsx(me,{params:t,setParams:r}),s.jsx(pe,{where:n,size:a,onSize:l=>{const u=new URLSearchParams(t);u.set("size",String(l)),r(u)}},i+a)]})]})}export{T as abnormal,Oe as default,de as whereOf};
