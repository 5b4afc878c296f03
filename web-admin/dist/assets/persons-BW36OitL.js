import{r as y,j as e,L as O,l as V,f as Y}from"./react-DvMe2k-3.js";import{f as E,l as g,C as w}from"./time-C0Jnn0-y.js";import{p as q,_ as z,a as I,e as F,i as b,T as P,f as j,al as f,B as R,n as S,aj as B,ah as C,ak as W,S as K,b as H,m as U,a_ as G,a$ as M,an as N,I as Q,ao as J,b0 as X,ap as Z,D as x,ay as ee}from"./index-B-LMANHv.js";import{E as D}from"./ErrorAlert-C8rc3Xln.js";import{F as _}from"./Table-21_4Iz1k.js";import{M as L}from"./index-CucHQbnf.js";import{D as se}from"./index-Dn1021sx.js";import{T as te}from"./Timeline-EMg2OjeL.js";import"./index-BQtOCe_F.js";import"./index-B8VDWYQQ.js";import"./useBubbleLock-BSTPz3pm.js";import"./index-DY0xtUBu.js";var re={icon:{tag:"svg",attrs:{viewBox:"64 64 896 896",focusable:"false"},children:[{tag:"path",attrs:{d:"M952 474H829.8C812.5 327.6 696.4 211.5 550 194.2V72c0-4.4-3.6-8-8-8h-60c-4.4 0-8 3.6-8 8v122.2C327.6 211.5 211.5 327.6 194.2 474H72c-4.4 0-8 3.6-8 8v60c0 4.4 3.6 8 8 8h122.2C211.5 696.4 327.6 812.5 474 829.8V952c0 4.4 3.6 8 8 8h60c4.4 0 8-3.6 8-8V829.8C696.4 812.5 812.5 696.4 829.8 550H952c4.4 0 8-3.6 8-8v-60c0-4.4-3.6-8-8-8zM512 756c-134.8 0-244-109.2-244-244s109.2-244 244-244 244 109.2 244 244-109.2 244-244 244z"}},{tag:"path",attrs:{d:"M512 392c-32.1 0-62.1 12.4-84.8 35.2-22.7 22.7-35.2 52.7-35.2 84.8s12.5 62.1 35.2 84.8C449.9 619.4 480 632 512 632s62.1-12.5 84.8-35.2C619.4 574.1 632 544 632 512s-12.5-62.1-35.2-84.8A118.57 118.57 0 00512 392z"}}]},name:"aim",theme:"outlined"},ne=function(t,r){return y.createElement(q,z({},t,{ref:r,icon:re}))},oe=y.forwardRef(ne),ae={icon:{tag:"svg",attrs:{viewBox:"0 0 1024 1024",focusable:"false"},children:[{tag:"path",attrs:{d:"M512 64L128 192v384c0 212.1 171.9 384 384 384s384-171.9 384-384V192L512 64zm312 512c0 172.3-139.7 312-312 312S200 748.3 200 576V246l312-110 312 110v330z"}},{tag:"path",attrs:{d:"M378.4 475.1a35.91 35.91 0 00-50.9 0 35.91 35.91 0 000 50.9l129.4 129.4 2.1 2.1a33.98 33.98 0 0048.1 0L730.6 434a33.98 33.98 0 000-48.1l-2.8-2.8a33.98 33.98 0 00-48.1 0L483 579.7 378.4 475.1z"}}]},name:"safety",theme:"outlined"},ie=function(t,r){return y.createElement(q,z({},t,{ref:r,icon:ae}))},le=y.forwardRef(ie);const de=S(`
  query PersonScans($id: ID!, $after: Cursor) {
    node(id: $id) {
      __typename
      id
      ... on Person {
        scans(first: 20, after: $after, orderBy: [{ field: SERVER_TIME, direction: DESC }]) {
          edges {
            node {
              id
              serverTime
              siteName
              scannerName
              method
              colour
              temperature
              fever
              decision
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
`);function ce({personId:s}){var k,h;const{t}=I(),[r,d]=y.useState([null]),u=r[r.length-1],[m]=F({query:de,variables:{id:s,after:u},requestPolicy:"cache-and-network"}),c=((h=(k=m.data)==null?void 0:k.node)==null?void 0:h.__typename)==="Person"?m.data.node.scans:null,p=((c==null?void 0:c.edges)??[]).flatMap(o=>o!=null&&o.node?[o.node]:[]),i=c==null?void 0:c.pageInfo;return e.jsxs(b,{size:"small",title:t("persons.scans"),extra:e.jsxs(j,{children:[e.jsx(f.Text,{type:"secondary",children:t("persons.page",{n:r.length})}),e.jsx(R,{size:"small",disabled:r.length<=1,onClick:()=>d(o=>o.slice(0,-1)),children:t("persons.prev")}),e.jsx(R,{size:"small",disabled:!(i!=null&&i.hasNextPage),onClick:()=>(i==null?void 0:i.endCursor)&&d(o=>[...o,i.endCursor]),children:t("persons.next")})]}),children:[e.jsx(D,{error:m.error}),e.jsx(_,{rowKey:"id",size:"small","data-testid":"person-scans",loading:m.fetching&&!m.data,pagination:!1,dataSource:p,scroll:{x:"max-content"},locale:{emptyText:t("persons.scansEmpty")},rowClassName:o=>o.fever||o.decision==="DENY"?"row-abnormal":"",onRow:o=>o.fever||o.decision==="DENY"?{style:{background:"#fff1f0"}}:{},columns:[{title:t("persons.serverTime"),key:"at",render:(o,l)=>E(l.serverTime)},{title:t("persons.site"),dataIndex:"siteName"},{title:t("persons.scanner"),dataIndex:"scannerName"},{title:t("persons.method"),key:"method",render:(o,l)=>g("ScanMethod",l.method)},{title:t("persons.colour"),key:"colour",render:(o,l)=>e.jsx(w,{colour:l.colour})},{title:t("persons.temperature"),key:"temp",render:(o,l)=>e.jsxs("span",{style:l.fever?{color:"#cf1322",fontWeight:600}:void 0,children:[l.temperature.toFixed(1)," °C"]})},{title:t("persons.decision"),key:"decision",render:(o,l)=>e.jsx(P,{color:l.decision==="DENY"?"red":"green",children:g("ScanDecision",l.decision)})}]})]})}const ue=S(`
  mutation SetRisk($input: SetRiskInput!) {
    setRisk(input: $input) {
      ...PersonDetails
    }
  }
`),me=["CONFIRMED","SUSPECTED","CLOSE_CONTACT","QUARANTINED","RELEASED","NONE"];function pe({p:s}){const{t}=I(),{modal:r,message:d}=B.useApp(),[u,m]=y.useState(!1),[c]=C.useForm(),p=C.useWatch("risk",c),[i,k]=W(ue),h=p==="QUARANTINED"||p==="CLOSE_CONTACT",o=l=>{r.confirm({title:t("persons.setRiskTitle"),content:t("persons.setRiskConfirmText",{name:s.nameMasked,risk:g("RiskChange",l.risk)}),okText:t("persons.setRiskConfirm"),onOk:async()=>{const v=h&&l.quarantineEnds?l.quarantineEnds.toISOString():null,n=await k({input:{person:s.id,risk:l.risk,quarantineEnds:v}});!n.error&&n.data&&(d.success(t("persons.setRiskDone",{colour:g("Colour",n.data.setRisk.colour)})),m(!1),c.resetFields())}})};return e.jsxs(e.Fragment,{children:[e.jsx(R,{icon:e.jsx(le,{}),danger:s.colour==="RED",onClick:()=>m(!0),children:t("persons.setRisk")}),e.jsxs(L,{open:u,title:t("persons.setRiskTitle"),okText:t("persons.setRiskConfirm"),onOk:()=>c.submit(),onCancel:()=>m(!1),destroyOnClose:!0,children:[e.jsx(D,{error:i.error}),s.colour==="RED"&&e.jsx(f.Paragraph,{type:"danger",children:t("persons.redRule")}),e.jsxs(C,{form:c,layout:"vertical",onFinish:o,preserve:!1,children:[e.jsx(C.Item,{name:"risk",label:t("persons.setRiskNew"),rules:[{required:!0,message:t("persons.required")}],children:e.jsx(K,{"data-testid":"risk-select",options:me.map(l=>({value:l,label:g("RiskChange",l)}))})}),h&&e.jsx(C.Item,{name:"quarantineEnds",label:t("persons.setRiskEnds"),extra:t("persons.setRiskEndsHint"),children:e.jsx(se,{showTime:{format:"HH:mm"},format:"YYYY-MM-DD HH:mm",style:{width:"100%"}})})]})]})]})}const xe=S(`
  query PersonIdentity($id: ID!, $reason: String!) {
    node(id: $id) {
      __typename
      id
      ... on Person {
        identity(reason: $reason) {
          name
          idNumber
          phone
          recordedAt
          reason
        }
      }
    }
  }
`);function he({personId:s,clear:t,onClear:r}){const{t:d}=I(),u=H(),m=U(),[c,p]=y.useState(!1),[i,k]=y.useState(!1),[h,o]=y.useState(null),[l]=C.useForm();if(t)return null;if(!u.can("person","unmask")){const n=e.jsxs(j,{direction:"vertical",style:{maxWidth:320},"data-testid":"unmask-howto",children:[e.jsx(f.Text,{children:d("persons.unmaskNoGrant")}),u.can("grant","give")?e.jsx(O,{to:"/grants",children:d("persons.grantsLink")}):e.jsx(f.Text,{type:"secondary",children:d("persons.unmaskNoGrantAsk")})]});return e.jsx(G,{trigger:"click",content:n,title:d("persons.unmaskTitle"),children:e.jsx(R,{icon:e.jsx(M,{}),children:d("persons.unmask")})})}const v=async({reason:n})=>{var A,$;k(!0);const a=await m.query(xe,{id:s,reason:n},{requestPolicy:"network-only"}).toPromise();k(!1);const T=(($=(A=a.data)==null?void 0:A.node)==null?void 0:$.__typename)==="Person"?a.data.node.identity:null;if(a.error||!T){o(a.error??null);return}o(null),p(!1),l.resetFields(),r({...T})};return e.jsxs(e.Fragment,{children:[e.jsx(R,{icon:e.jsx(M,{}),onClick:()=>p(!0),children:d("persons.unmask")}),e.jsxs(L,{open:c,title:d("persons.unmaskTitle"),okText:d("persons.unmaskOk"),confirmLoading:i,onOk:()=>l.submit(),onCancel:()=>p(!1),destroyOnClose:!0,children:[e.jsx(N,{type:"info",showIcon:!0,message:d("persons.unmaskNotice"),style:{marginBottom:16}}),e.jsx(D,{error:h}),e.jsx(C,{form:l,layout:"vertical",onFinish:v,preserve:!1,children:e.jsx(C.Item,{name:"reason",label:d("persons.unmaskWhy"),rules:[{required:!0,whitespace:!0,message:d("persons.required")},{max:200}],children:e.jsx(Q.TextArea,{rows:2,maxLength:200,showCount:!0,placeholder:d("persons.unmaskWhyHint")})})})]})]})}S(`
  fragment PersonDetails on Person {
    id
    nameMasked
    idType
    idNumberMasked
    phoneMasked
    addressMasked
    colour
    risk
    quarantineEnds
    symptomatic
    lastTemperature
    lastTemperatureAt
    ruleVersion
    validTestWithin7Days
    residenceRegion {
      id
      name
    }
    colourHistory {
      id
      from
      to
      cause
      causeClass
      ruleVersion
      at
    }
  }
`);const ye=S(`
  query PersonPage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Person {
        ...PersonDetails
        testResults(first: 30, orderBy: [{ field: SAMPLED_AT, direction: DESC }]) {
          totalCount
          edges {
            node {
              id
              kind
              result
              sampledAt
              source
            }
          }
        }
        declarations(first: 30, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
          totalCount
          edges {
            node {
              id
              day
              revision
              symptoms
              temperature
              travel
              createdAt
              visits {
                region
                date
              }
            }
          }
        }
      }
    }
  }
`);function ke({p:s}){const{t}=I();return s.colourHistory.length===0?e.jsx(f.Text,{type:"secondary",children:t("persons.historyEmpty")}):e.jsx(te,{"data-testid":"colour-history",items:s.colourHistory.map(r=>({key:r.id,color:r.to==="RED"?"red":r.to==="GREEN"?"green":r.to==="ORANGE"?"orange":"gold",children:e.jsxs(j,{direction:"vertical",size:0,children:[e.jsxs(j,{wrap:!0,children:[e.jsx(f.Text,{strong:!0,children:E(r.at)}),e.jsx(w,{colour:r.from}),"→",e.jsx(w,{colour:r.to}),e.jsxs(f.Text,{type:"secondary",children:[t("persons.ruleVersion")," ",r.ruleVersion]})]}),e.jsxs(f.Text,{children:[t("persons.cause"),"：",e.jsx(ee,{title:`${t("persons.causeDetail")}：${r.cause}`,children:e.jsx("span",{"data-testid":"cause-class",children:t(`persons.causeClass.${r.causeClass}`)})})]})]})}))})}function je({p:s,clear:t}){var u;const{t:r}=I(),d=m=>r(m?"persons.yes":"persons.no");return e.jsxs(x,{size:"small",bordered:!0,column:{xs:1,sm:1,md:2,lg:3},children:[e.jsx(x.Item,{label:r("persons.name"),children:e.jsx("span",{"data-testid":"person-name",children:(t==null?void 0:t.name)??s.nameMasked})}),e.jsx(x.Item,{label:`${r("persons.idNumber")}（${g("PersonIDType",s.idType)}）`,children:(t==null?void 0:t.idNumber)??s.idNumberMasked}),e.jsx(x.Item,{label:r("persons.phone"),children:(t?t.phone:s.phoneMasked)??"—"}),e.jsx(x.Item,{label:r("persons.residence"),children:((u=s.residenceRegion)==null?void 0:u.name)??"—"}),e.jsx(x.Item,{label:r("persons.address"),children:s.addressMasked??"—"}),e.jsx(x.Item,{label:r("persons.risk"),children:g("PersonRisk",s.risk)}),e.jsx(x.Item,{label:r("persons.quarantineEnds"),children:E(s.quarantineEnds)}),e.jsx(x.Item,{label:r("persons.symptomatic"),children:d(s.symptomatic)}),e.jsx(x.Item,{label:r("persons.lastTemperature"),children:s.lastTemperature!=null?`${s.lastTemperature.toFixed(1)} °C · ${E(s.lastTemperatureAt)}`:"—"}),e.jsx(x.Item,{label:r("persons.validTest"),children:d(s.validTestWithin7Days)})]})}function Pe(){var v;const{t:s}=I(),{id:t=""}=V(),r=Y(),d=H(),[u,m]=y.useState(null),[c]=F({query:ye,variables:{id:t},requestPolicy:"cache-and-network"}),p=(v=c.data)==null?void 0:v.node;if(c.fetching&&!c.data)return e.jsx(J,{style:{display:"block",margin:48}});if(!p||p.__typename!=="Person")return e.jsxs(e.Fragment,{children:[e.jsx(D,{error:c.error}),e.jsx(X,{status:"404",title:s("persons.notFound"),extra:e.jsx(R,{onClick:()=>r(-1),children:s("persons.back")})})]});const i=p,k=d.can("person","trace"),h=d.can("person","setrisk"),o=(i.testResults.edges??[]).flatMap(n=>n!=null&&n.node?[n.node]:[]),l=(i.declarations.edges??[]).flatMap(n=>n!=null&&n.node?[n.node]:[]);return e.jsxs(j,{direction:"vertical",size:16,style:{width:"100%"},children:[e.jsxs(j,{style:{width:"100%",justifyContent:"space-between"},wrap:!0,children:[e.jsxs(j,{wrap:!0,align:"center",children:[e.jsxs(f.Title,{level:3,style:{margin:0},children:[s("persons.title")," · ",(u==null?void 0:u.name)??i.nameMasked]}),e.jsx(w,{colour:i.colour,big:!0})]}),e.jsxs(j,{wrap:!0,children:[e.jsx(he,{personId:i.id,clear:u,onClear:m}),h&&e.jsx(pe,{p:i}),e.jsx(O,{to:`/tracing?person=${encodeURIComponent(i.id)}`,"data-testid":"trace-link",children:e.jsx(R,{icon:e.jsx(oe,{}),type:k?"default":"dashed",children:s("persons.trace")})})]})]}),e.jsx(D,{error:c.error}),u&&e.jsx(N,{type:"warning",showIcon:!0,"data-testid":"unmask-banner",message:s("persons.unmaskRecorded",{at:Z(u.recordedAt).format("YYYY-MM-DD HH:mm:ss"),reason:u.reason}),action:e.jsx(R,{size:"small",onClick:()=>m(null),children:s("persons.unmaskHide")})}),i.colour==="RED"&&e.jsx(N,{type:"error",showIcon:!0,message:s(h?"persons.redRule":"persons.redRuleNoRight")}),e.jsx(b,{size:"small",children:e.jsx(je,{p:i,clear:u})}),e.jsx(b,{size:"small",title:s("persons.history"),children:e.jsx(ke,{p:i})}),e.jsx(b,{size:"small",title:`${s("persons.declarations")}（${i.declarations.totalCount}）`,children:e.jsx(_,{rowKey:"id",size:"small",pagination:!1,dataSource:l,scroll:{x:"max-content"},locale:{emptyText:s("persons.declarationsEmpty")},columns:[{title:s("persons.day"),key:"day",render:(n,a)=>e.jsxs(j,{children:[a.day,a.revision>0&&e.jsxs(P,{children:[s("persons.revision")," ",a.revision]})]})},{title:s("persons.temperature"),key:"temp",render:(n,a)=>a.temperature!=null?`${a.temperature.toFixed(1)} °C`:"—"},{title:s("persons.symptoms"),key:"sym",render:(n,a)=>{var T;return(T=a.symptoms)!=null&&T.length?a.symptoms.join("、"):"—"}},{title:s("persons.visits"),key:"visits",render:(n,a)=>a.visits.length?a.visits.map(T=>`${T.region}（${T.date}）`).join("、"):"—"},{title:s("persons.travel"),dataIndex:"travel",render:n=>n||"—"},{title:s("persons.at"),key:"at",render:(n,a)=>E(a.createdAt)}]})}),e.jsx(b,{size:"small",title:`${s("persons.tests")}（${i.testResults.totalCount}）`,children:e.jsx(_,{rowKey:"id",size:"small",pagination:!1,dataSource:o,scroll:{x:"max-content"},locale:{emptyText:s("persons.testsEmpty")},columns:[{title:s("persons.sampledAt"),key:"at",render:(n,a)=>E(a.sampledAt)},{title:s("persons.testKind"),key:"kind",render:(n,a)=>g("TestResultKind",a.kind)},{title:s("persons.testResult"),key:"result",render:(n,a)=>e.jsx(P,{color:a.result==="POSITIVE"?"red":"green",children:g("TestResultResult",a.result)})},{title:s("persons.source"),dataIndex:"source"}]})}),e.jsx(ce,{personId:i.id})]})}export{Pe as default};
