import{r as h,j as e,L as H,l as W,f as K}from"./react-DvMe2k-3.js";import{f as E,l as T}from"./time-S6yL5EVl.js";import{p as F,_ as L,a as I,e as V,i as S,T as A,f,al as g,B as R,n as w,aj as U,ah as C,ak as G,S as Q,b as B,aX as X,b1 as J,b2 as z,an as N,I as Z,ao as ee,b3 as se,ap as te,D as x,ay as re}from"./index-D9y_8fwR.js";import{E as D}from"./ErrorAlert-CXk-sniI.js";import{C as P}from"./ColourTag-99Vfay4l.js";import{T as M}from"./Temperature-Cw2GQ2Rh.js";/* empty css               */import{F as _}from"./Table-4vjShmdK.js";import{M as Y}from"./index-BrdsfWYW.js";import{D as ne}from"./index-kX-SnQor.js";import{T as oe}from"./Timeline-BemSZJ-i.js";import"./index-D2awatxo.js";import"./index-RwzfDQ0l.js";import"./useBubbleLock-VaJzLZCH.js";import"./index-DGAZ7x6-.js";var ae={icon:{tag:"svg",attrs:{viewBox:"64 64 896 896",focusable:"false"},children:[{tag:"path",attrs:{d:"M952 474H829.8C812.5 327.6 696.4 211.5 550 194.2V72c0-4.4-3.6-8-8-8h-60c-4.4 0-8 3.6-8 8v122.2C327.6 211.5 211.5 327.6 194.2 474H72c-4.4 0-8 3.6-8 8v60c0 4.4 3.6 8 8 8h122.2C211.5 696.4 327.6 812.5 474 829.8V952c0 4.4 3.6 8 8 8h60c4.4 0 8-3.6 8-8V829.8C696.4 812.5 812.5 696.4 829.8 550H952c4.4 0 8-3.6 8-8v-60c0-4.4-3.6-8-8-8zM512 756c-134.8 0-244-109.2-244-244s109.2-244 244-244 244 109.2 244 244-109.2 244-244 244z"}},{tag:"path",attrs:{d:"M512 392c-32.1 0-62.1 12.4-84.8 35.2-22.7 22.7-35.2 52.7-35.2 84.8s12.5 62.1 35.2 84.8C449.9 619.4 480 632 512 632s62.1-12.5 84.8-35.2C619.4 574.1 632 544 632 512s-12.5-62.1-35.2-84.8A118.57 118.57 0 00512 392z"}}]},name:"aim",theme:"outlined"},ie=function(t,r){return h.createElement(F,L({},t,{ref:r,icon:ae}))},le=h.forwardRef(ie),de={icon:{tag:"svg",attrs:{viewBox:"0 0 1024 1024",focusable:"false"},children:[{tag:"path",attrs:{d:"M512 64L128 192v384c0 212.1 171.9 384 384 384s384-171.9 384-384V192L512 64zm312 512c0 172.3-139.7 312-312 312S200 748.3 200 576V246l312-110 312 110v330z"}},{tag:"path",attrs:{d:"M378.4 475.1a35.91 35.91 0 00-50.9 0 35.91 35.91 0 000 50.9l129.4 129.4 2.1 2.1a33.98 33.98 0 0048.1 0L730.6 434a33.98 33.98 0 000-48.1l-2.8-2.8a33.98 33.98 0 00-48.1 0L483 579.7 378.4 475.1z"}}]},name:"safety",theme:"outlined"},ce=function(t,r){return h.createElement(F,L({},t,{ref:r,icon:de}))},ue=h.forwardRef(ce);const me=w(`
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
`);function pe({personId:s}){var j,y;const{t}=I(),[r,a]=h.useState([null]),u=r[r.length-1],[m]=V({query:me,variables:{id:s,after:u},requestPolicy:"cache-and-network"}),c=((y=(j=m.data)==null?void 0:j.node)==null?void 0:y.__typename)==="Person"?m.data.node.scans:null,p=((c==null?void 0:c.edges)??[]).flatMap(i=>i!=null&&i.node?[i.node]:[]),o=c==null?void 0:c.pageInfo;return e.jsxs(S,{size:"small",title:t("persons.scans"),extra:e.jsxs(f,{children:[e.jsx(g.Text,{type:"secondary",children:t("persons.page",{n:r.length})}),e.jsx(R,{size:"small",disabled:r.length<=1,onClick:()=>a(i=>i.slice(0,-1)),children:t("persons.prev")}),e.jsx(R,{size:"small",disabled:!(o!=null&&o.hasNextPage),onClick:()=>(o==null?void 0:o.endCursor)&&a(i=>[...i,o.endCursor]),children:t("persons.next")})]}),children:[e.jsx(D,{error:m.error}),e.jsx(_,{rowKey:"id",size:"small","data-testid":"person-scans",loading:m.fetching&&!m.data,pagination:!1,dataSource:p,scroll:{x:"max-content"},locale:{emptyText:t("persons.scansEmpty")},rowClassName:i=>i.fever||i.decision==="DENY"?"scan-abnormal":"",columns:[{title:t("persons.serverTime"),key:"at",render:(i,l)=>E(l.serverTime)},{title:t("persons.site"),dataIndex:"siteName"},{title:t("persons.scanner"),dataIndex:"scannerName"},{title:t("persons.method"),key:"method",render:(i,l)=>T("ScanMethod",l.method)},{title:t("persons.colour"),key:"colour",render:(i,l)=>e.jsx(P,{colour:l.colour})},{title:t("persons.temperature"),key:"temp",render:(i,l)=>e.jsx(M,{value:l.temperature,fever:l.fever})},{title:t("persons.decision"),key:"decision",render:(i,l)=>e.jsx(A,{color:l.decision==="DENY"?"red":"green",children:T("ScanDecision",l.decision)})}]})]})}const xe=w(`
  mutation SetRisk($input: SetRiskInput!) {
    setRisk(input: $input) {
      ...PersonDetails
    }
  }
`),he=["CONFIRMED","SUSPECTED","CLOSE_CONTACT","QUARANTINED","RELEASED","NONE"];function ye({p:s}){const{t}=I(),{modal:r,message:a}=U.useApp(),[u,m]=h.useState(!1),[c]=C.useForm(),p=C.useWatch("risk",c),[o,j]=G(xe),y=p==="QUARANTINED"||p==="CLOSE_CONTACT",i=l=>{r.confirm({title:t("persons.setRiskTitle"),content:t("persons.setRiskConfirmText",{name:s.nameMasked,risk:T("RiskChange",l.risk)}),okText:t("persons.setRiskConfirm"),onOk:async()=>{const v=y&&l.quarantineEnds?l.quarantineEnds.toISOString():null,n=await j({input:{person:s.id,risk:l.risk,quarantineEnds:v}});!n.error&&n.data&&(a.success(t("persons.setRiskDone",{colour:T("Colour",n.data.setRisk.colour)})),m(!1),c.resetFields())}})};return e.jsxs(e.Fragment,{children:[e.jsx(R,{icon:e.jsx(ue,{}),danger:s.colour==="RED",onClick:()=>m(!0),children:t("persons.setRisk")}),e.jsxs(Y,{open:u,title:t("persons.setRiskTitle"),okText:t("persons.setRiskConfirm"),onOk:()=>c.submit(),onCancel:()=>m(!1),destroyOnClose:!0,children:[e.jsx(D,{error:o.error}),s.colour==="RED"&&e.jsx(g.Paragraph,{type:"danger",children:t("persons.redRule")}),e.jsxs(C,{form:c,layout:"vertical",onFinish:i,preserve:!1,children:[e.jsx(C.Item,{name:"risk",label:t("persons.setRiskNew"),rules:[{required:!0,message:t("persons.required")}],children:e.jsx(Q,{"data-testid":"risk-select",options:he.map(l=>({value:l,label:T("RiskChange",l)}))})}),y&&e.jsx(C.Item,{name:"quarantineEnds",label:t("persons.setRiskEnds"),extra:t("persons.setRiskEndsHint"),children:e.jsx(ne,{showTime:{format:"HH:mm"},format:"YYYY-MM-DD HH:mm",style:{width:"100%"}})})]})]})]})}const je=w(`
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
`);function ke({personId:s,clear:t,onClear:r}){const{t:a}=I(),u=B(),m=X(),[c,p]=h.useState(!1),[o,j]=h.useState(!1),[y,i]=h.useState(null),[l,v]=h.useState(!1),[n]=C.useForm();if(t)return null;if(!u.can("person","unmask")){const k=e.jsxs(f,{direction:"vertical",style:{maxWidth:320},"data-testid":"unmask-howto",children:[e.jsx(g.Text,{children:a("persons.unmaskNoGrant")}),u.can("grant","give")?e.jsx(H,{to:"/grants",children:a("persons.grantsLink")}):e.jsx(g.Text,{type:"secondary",children:a("persons.unmaskNoGrantAsk")})]});return e.jsx(J,{trigger:"click",content:k,title:a("persons.unmaskTitle"),children:e.jsx(R,{icon:e.jsx(z,{}),children:a("persons.unmask")})})}const d=async({reason:k})=>{var O,q;j(!0);const b=await m.query(je,{id:s,reason:k}).toPromise();j(!1);const $=((q=(O=b.data)==null?void 0:O.node)==null?void 0:q.__typename)==="Person"?b.data.node.identity:null;if(b.error||!$){i(b.error??null),v(!b.error);return}i(null),v(!1),p(!1),n.resetFields(),r({...$})};return e.jsxs(e.Fragment,{children:[e.jsx(R,{icon:e.jsx(z,{}),onClick:()=>p(!0),children:a("persons.unmask")}),e.jsxs(Y,{open:c,title:a("persons.unmaskTitle"),okText:a("persons.unmaskOk"),confirmLoading:o,onOk:()=>n.submit(),onCancel:()=>p(!1),destroyOnClose:!0,children:[e.jsx(N,{type:"info",showIcon:!0,message:a("persons.unmaskNotice"),style:{marginBottom:16}}),e.jsx(D,{error:y}),l&&e.jsx(N,{type:"warning",showIcon:!0,message:a("persons.unmaskEmpty"),style:{marginBottom:16},"data-testid":"unmask-empty"}),e.jsx(C,{form:n,layout:"vertical",onFinish:d,preserve:!1,children:e.jsx(C.Item,{name:"reason",label:a("persons.unmaskWhy"),rules:[{required:!0,whitespace:!0,message:a("persons.required")},{max:200}],children:e.jsx(Z.TextArea,{rows:2,maxLength:200,showCount:!0,placeholder:a("persons.unmaskWhyHint")})})})]})]})}w(`
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
`);const fe=w(`
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
`);function ge({p:s}){const{t}=I();return s.colourHistory.length===0?e.jsx(g.Text,{type:"secondary",children:t("persons.historyEmpty")}):e.jsx(oe,{"data-testid":"colour-history",items:s.colourHistory.map(r=>({key:r.id,color:r.to==="RED"?"red":r.to==="GREEN"?"green":r.to==="ORANGE"?"orange":"gold",children:e.jsxs(f,{direction:"vertical",size:0,children:[e.jsxs(f,{wrap:!0,children:[e.jsx(g.Text,{strong:!0,children:E(r.at)}),e.jsx(P,{colour:r.from}),"→",e.jsx(P,{colour:r.to}),e.jsxs(g.Text,{type:"secondary",children:[t("persons.ruleVersion")," ",r.ruleVersion]})]}),e.jsxs(g.Text,{children:[t("persons.cause"),"：",e.jsx(re,{title:`${t("persons.causeDetail")}：${r.cause}`,children:e.jsx("span",{"data-testid":"cause-class",children:t(`persons.causeClass.${r.causeClass}`)})})]})]})}))})}function Te({p:s,clear:t}){var u;const{t:r}=I(),a=m=>r(m?"persons.yes":"persons.no");return e.jsxs(x,{size:"small",bordered:!0,column:{xs:1,sm:1,md:2,lg:3},children:[e.jsx(x.Item,{label:r("persons.name"),children:e.jsx("span",{"data-testid":"person-name",children:(t==null?void 0:t.name)??s.nameMasked})}),e.jsx(x.Item,{label:`${r("persons.idNumber")}（${T("PersonIDType",s.idType)}）`,children:(t==null?void 0:t.idNumber)??s.idNumberMasked}),e.jsx(x.Item,{label:r("persons.phone"),children:(t?t.phone:s.phoneMasked)??"—"}),e.jsx(x.Item,{label:r("persons.residence"),children:((u=s.residenceRegion)==null?void 0:u.name)??"—"}),e.jsx(x.Item,{label:r("persons.address"),children:s.addressMasked??"—"}),e.jsx(x.Item,{label:r("persons.risk"),children:T("PersonRisk",s.risk)}),e.jsx(x.Item,{label:r("persons.quarantineEnds"),children:E(s.quarantineEnds)}),e.jsx(x.Item,{label:r("persons.symptomatic"),children:a(s.symptomatic)}),e.jsx(x.Item,{label:r("persons.lastTemperature"),children:s.lastTemperature!=null?e.jsxs(e.Fragment,{children:[e.jsx(M,{value:s.lastTemperature})," · ",E(s.lastTemperatureAt)]}):"—"}),e.jsx(x.Item,{label:r("persons.validTest"),children:a(s.validTestWithin7Days)})]})}function Oe(){var v;const{t:s}=I(),{id:t=""}=W(),r=K(),a=B(),[u,m]=h.useState(null),[c]=V({query:fe,variables:{id:t},requestPolicy:"cache-and-network"}),p=(v=c.data)==null?void 0:v.node;if(c.fetching&&!c.data)return e.jsx(ee,{style:{display:"block",margin:48}});if(!p||p.__typename!=="Person")return e.jsxs(e.Fragment,{children:[e.jsx(D,{error:c.error}),e.jsx(se,{status:"404",title:s("persons.notFound"),extra:e.jsx(R,{onClick:()=>r(-1),children:s("persons.back")})})]});const o=p,j=a.can("person","trace"),y=a.can("person","setrisk"),i=(o.testResults.edges??[]).flatMap(n=>n!=null&&n.node?[n.node]:[]),l=(o.declarations.edges??[]).flatMap(n=>n!=null&&n.node?[n.node]:[]);return e.jsxs(f,{direction:"vertical",size:16,style:{width:"100%"},children:[e.jsxs(f,{style:{width:"100%",justifyContent:"space-between"},wrap:!0,children:[e.jsxs(f,{wrap:!0,align:"center",children:[e.jsxs(g.Title,{level:3,style:{margin:0},children:[s("persons.title")," · ",(u==null?void 0:u.name)??o.nameMasked]}),e.jsx(P,{colour:o.colour,big:!0})]}),e.jsxs(f,{wrap:!0,children:[e.jsx(ke,{personId:o.id,clear:u,onClear:m}),y&&e.jsx(ye,{p:o}),e.jsx(H,{to:`/tracing?person=${encodeURIComponent(o.id)}`,"data-testid":"trace-link",children:e.jsx(R,{icon:e.jsx(le,{}),type:j?"default":"dashed",children:s("persons.trace")})})]})]}),e.jsx(D,{error:c.error}),u&&e.jsx(N,{type:"warning",showIcon:!0,"data-testid":"unmask-banner",message:s("persons.unmaskRecorded",{at:te(u.recordedAt).format("YYYY-MM-DD HH:mm:ss"),reason:u.reason}),action:e.jsx(R,{size:"small",onClick:()=>m(null),children:s("persons.unmaskHide")})}),o.colour==="RED"&&e.jsx(N,{type:"error",showIcon:!0,message:s(y?"persons.redRule":"persons.redRuleNoRight")}),e.jsx(S,{size:"small",children:e.jsx(Te,{p:o,clear:u})}),e.jsx(S,{size:"small",title:s("persons.history"),children:e.jsx(ge,{p:o})}),e.jsx(S,{size:"small",title:`${s("persons.declarations")}（${o.declarations.totalCount}）`,children:e.jsx(_,{rowKey:"id",size:"small",pagination:!1,dataSource:l,scroll:{x:"max-content"},locale:{emptyText:s("persons.declarationsEmpty")},columns:[{title:s("persons.day"),key:"day",render:(n,d)=>e.jsxs(f,{children:[d.day,d.revision>0&&e.jsxs(A,{children:[s("persons.revision")," ",d.revision]})]})},{title:s("persons.temperature"),key:"temp",render:(n,d)=>e.jsx(M,{value:d.temperature})},{title:s("persons.symptoms"),key:"sym",render:(n,d)=>{var k;return(k=d.symptoms)!=null&&k.length?d.symptoms.join("、"):"—"}},{title:s("persons.visits"),key:"visits",render:(n,d)=>d.visits.length?d.visits.map(k=>`${k.region}（${k.date}）`).join("、"):"—"},{title:s("persons.travel"),dataIndex:"travel",render:n=>n||"—"},{title:s("persons.at"),key:"at",render:(n,d)=>E(d.createdAt)}]})}),e.jsx(S,{size:"small",title:`${s("persons.tests")}（${o.testResults.totalCount}）`,children:e.jsx(_,{rowKey:"id",size:"small",pagination:!1,dataSource:i,scroll:{x:"max-content"},locale:{emptyText:s("persons.testsEmpty")},columns:[{title:s("persons.sampledAt"),key:"at",render:(n,d)=>E(d.sampledAt)},{title:s("persons.testKind"),key:"kind",render:(n,d)=>T("TestResultKind",d.kind)},{title:s("persons.testResult"),key:"result",render:(n,d)=>e.jsx(A,{color:d.result==="POSITIVE"?"red":"green",children:T("TestResultResult",d.result)})},{title:s("persons.source"),dataIndex:"source"}]})}),e.jsx(pe,{personId:o.id})]})}export{Oe as default};
