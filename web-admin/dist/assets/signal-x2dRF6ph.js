import{j as i,r as m}from"./react-DvMe2k-3.js";import{ag as S,n as l,al as N,a as h,T as f,e as v,k as O,S as T}from"./index-B-LMANHv.js";S("alerts",{title:"异常预警",live:"实时推送中",connecting:"正在连接实时推送…",liveError:"实时推送已断开，列表仍可刷新",sound:"提示音",notify:"桌面通知",notifyDenied:"浏览器未允许通知",notifyTitle:"新的异常提醒",filterStatus:"状态",filterKind:"类型",filterRegion:"区划",regionPlaceholder:"辖区内的区划",allStatus:"全部状态",allKind:"全部类型",newAlerts:"新的异常提醒（{{count}}）",newAlertsHint:"健康码为橙码、红码或体温异常的人员，标红单独展示",clearNew:"全部已读",newTag:"新",raisedAt:"时间",kind:"类型",person:"人员",place:"地点",colour:"健康码",temperature:"体温",reasons:"原因",status:"状态",handle:"处理",empty:"暂无异常预警",detail:"预警处理",assignee:"指派网格员",pickAssignee:"选择本社区网格员",noAssignees:"该预警所在社区（或人员居住社区）暂无可指派的网格员",note:"备注",notePlaceholder:"处理说明（可选）",assign:"指派",reassign:"改派",assigned:"已指派给网格员",waitVisit:"等待网格员上门核实",closeNote:"办结说明",close:"办结",closed:"预警已办结",closeConfirm:"确认办结此预警？",history:"处理记录",noHistory:"尚无处理记录",by:"操作人",me:"我",accountN:"账号 {{id}}",assignedTo:"指派给 {{name}}",pauses:"暂停推送",pausesHint:"暂停后，该区划内的预警仍会记录和列出，但不再实时推送（如批量导入出错时）。",pauseRegion:"暂停区划",pauseReason:"暂停原因",pause:"暂停推送",pauseConfirmTitle:"确认暂停 {{name}} 的预警推送？",pauseConfirm:"暂停期间新预警不会实时推送给任何人，直到恢复。",paused:"已暂停推送",resume:"恢复",resumeConfirm:"恢复 {{name}} 的预警推送？",resumed:"已恢复推送",noPauses:"当前没有暂停推送的区划",pausedAt:"暂停时间",more:"加载更多",reasonRequired:"请填写原因",enumStatus:{OPEN:"待处理",ASSIGNED:"已指派",VISITED:"已上门核实",CLOSED:"已办结"},enumKind:{SCAN:"扫码异常",COLOUR_CHANGE:"赋码变更"},enumColour:{GREEN:"绿码",YELLOW:"黄码",ORANGE:"橙码",RED:"红码"},enumReason:{FEVER:"体温异常",COLOUR_YELLOW:"黄码",COLOUR_ORANGE:"橙码",COLOUR_RED:"红码",REFER:"需进一步核实"},enumAction:{ASSIGN:"指派",VISIT:"上门核实",CLOSE:"办结"}},{title:"Alerts",live:"Live",connecting:"Connecting to live alerts…",liveError:"Live alerts disconnected; the list can still be refreshed",sound:"Sound",notify:"Notifications",notifyDenied:"The browser does not allow notifications",notifyTitle:"New abnormal alert",filterStatus:"Status",filterKind:"Kind",filterRegion:"Region",regionPlaceholder:"A region in your scope",allStatus:"All statuses",allKind:"All kinds",newAlerts:"New abnormal alerts ({{count}})",newAlertsHint:"People with an orange or red code or a fever, shown in red apart",clearNew:"Mark all read",newTag:"New",raisedAt:"Time",kind:"Kind",person:"Person",place:"Place",colour:"Code",temperature:"Temperature",reasons:"Reasons",status:"Status",handle:"Handle",empty:"No alerts",detail:"Handling the alert",assignee:"Assign to a grid worker",pickAssignee:"A grid worker of the community",noAssignees:"No grid worker can be assigned in the community of this alert (or where the person lives)",note:"Note",notePlaceholder:"A note (optional)",assign:"Assign",reassign:"Reassign",assigned:"Assigned to the grid worker",waitVisit:"Waiting for the grid worker’s visit",closeNote:"Closing note",close:"Close",closed:"Alert closed",closeConfirm:"Close this alert?",history:"History",noHistory:"Not handled yet",by:"By",me:"me",accountN:"account {{id}}",assignedTo:"assigned to {{name}}",pauses:"Paused pushes",pausesHint:"While paused, the alerts of the region are still recorded and listed, but not pushed live (e.g. after a bad import).",pauseRegion:"Region to pause",pauseReason:"Reason",pause:"Pause pushes",pauseConfirmTitle:"Pause the alert pushes of {{name}}?",pauseConfirm:"New alerts will not be pushed to anyone until resumed.",paused:"Pushes paused",resume:"Resume",resumeConfirm:"Resume the alert pushes of {{name}}?",resumed:"Pushes resumed",noPauses:"No region is paused",pausedAt:"Paused at",more:"Load more",reasonRequired:"Give a reason",enumStatus:{OPEN:"Open",ASSIGNED:"Assigned",VISITED:"Visited",CLOSED:"Closed"},enumKind:{SCAN:"Scan",COLOUR_CHANGE:"Colour change"},enumColour:{GREEN:"Green",YELLOW:"Yellow",ORANGE:"Orange",RED:"Red"},enumReason:{FEVER:"Fever",COLOUR_YELLOW:"Yellow code",COLOUR_ORANGE:"Orange code",COLOUR_RED:"Red code",REFER:"To be checked"},enumAction:{ASSIGN:"Assign",VISIT:"Visit",CLOSE:"Close"}});S("tasks",{title:"我的任务",hint:"指派给我的异常人员，请及时上门核实（基层网格员要及时上门核实）",empty:"暂无待上门核实的任务",visitWhom:"核实对象",address:"住址",place:"异常地点",reasons:"异常原因",assignedAt:"指派时间",call:"拨打电话",callHint:"查看电话将被记录（审计）",noPhone:"未登记电话",fullAddress:"详细住址",visitNote:"上门核实情况",visitPlaceholder:"如：已上门核实，体温复测正常，已告知居家观察",visitRequired:"请填写上门核实情况",submitVisit:"提交核实结果",visited:"已提交核实结果",done:"已完成（{{count}}）",newTask:"有新的任务指派给您"},{title:"My tasks",hint:"People assigned to me: visit them promptly",empty:"No visit to make",visitWhom:"Visit",address:"Address",place:"Where",reasons:"Why",assignedAt:"Assigned",call:"Call",callHint:"Reading the phone is recorded (audited)",noPhone:"No phone registered",fullAddress:"Full address",visitNote:"What the visit found",visitPlaceholder:"e.g. visited, temperature normal on re-check, told to stay home",visitRequired:"Describe what the visit found",submitVisit:"Submit the visit",visited:"Visit recorded",done:"Done ({{count}})",newTask:"A new task was assigned to you"});l(`
  fragment AlertRow on Alert {
    id
    kind
    place
    sector
    nameMasked
    idNumberMasked
    colour
    temperature
    status
    note
    pushed
    raisedAt
    updatedAt
    reasons
  }
`);l(`
  fragment AlertStepRow on AlertStep {
    from
    to
    assigneeId
    byAccountId
    note
    at
  }
`);const H=l(`
  query Alerts($where: AlertWhereInput, $after: Cursor) {
    alerts(first: 50, after: $after, where: $where, orderBy: [{ field: RAISED_AT, direction: DESC }]) {
      edges {
        node {
          ...AlertRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`),W=l(`
  subscription AlertRaised($scope: ID) {
    alertRaised(scope: $scope) {
      ...AlertRow
    }
  }
`),q=l(`
  query AlertDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Alert {
        ...AlertRow
        site {
          id
          name
          address
        }
        steps {
          ...AlertStepRow
        }
        assignees {
          id
          name
          phoneMasked
          region {
            id
            name
          }
        }
      }
    }
  }
`),M=l(`
  mutation HandleAlert($input: HandleAlertInput!) {
    handleAlert(input: $input) {
      ...AlertRow
      steps {
        ...AlertStepRow
      }
    }
  }
`),_=l(`
  query AlertPauses {
    alertPauses {
      reason
      at
      region {
        id
        name
        code
      }
    }
  }
`),K=l(`
  mutation PauseAlerts($region: ID!, $paused: Boolean!, $reason: String) {
    pauseAlerts(region: $region, paused: $paused, reason: $reason)
  }
`),D=l(`
  query AlertScopeRegions($where: RegionWhereInput) {
    regions(first: 30, where: $where, orderBy: [{ field: CODE }]) {
      edges {
        node {
          id
          code
          name
          level
        }
      }
    }
  }
`),j=l(`
  query MyTasks($where: AlertWhereInput) {
    alerts(first: 50, where: $where, orderBy: [{ field: RAISED_AT, direction: DESC }]) {
      edges {
        node {
          ...AlertRow
          person {
            id
            nameMasked
            addressMasked
            phoneMasked
          }
          steps {
            ...AlertStepRow
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`),F=l(`
  query AlertContact($id: ID!) {
    node(id: $id) {
      __typename
      ... on Alert {
        id
        contact {
          phone
          phoneMasked
          address
          addressMasked
        }
      }
    }
  }
`),P=37.3,k={OPEN:"red",ASSIGNED:"orange",VISITED:"blue",CLOSED:"default"},I={GREEN:"green",YELLOW:"gold",ORANGE:"orange",RED:"red"};function U({status:e}){const{t}=h();return i.jsx(f,{color:k[e],children:t(`alerts.enumStatus.${e}`,{defaultValue:e})})}function Y({kind:e}){const{t}=h();return i.jsx(f,{children:t(`alerts.enumKind.${e}`,{defaultValue:e})})}function B({colour:e}){const{t}=h();return e?i.jsx(f,{color:I[e],children:t(`alerts.enumColour.${e}`,{defaultValue:e})}):i.jsx(i.Fragment,{children:"—"})}function Q({reasons:e}){const{t}=h();return i.jsx(i.Fragment,{children:e.map(s=>i.jsx(f,{color:"red",children:t(`alerts.enumReason.${s}`,{defaultValue:s})},s))})}function z({value:e}){if(e==null)return i.jsx(i.Fragment,{children:"—"});const t=e>=P;return i.jsxs(N.Text,{strong:t,type:t?"danger":void 0,children:[e.toFixed(1)," °C"]})}function J({scope:e,value:t,onChange:s,placeholder:o,testId:n}){var R;const[a,A]=m.useState(""),c=a.trim(),r=c?{within:e,.../^\d+$/.test(c)?{codeHasPrefix:c}:{nameContains:c}}:e?{or:[{id:e},{hasParentWith:[{id:e}]}]}:{level:"PROVINCE"},[p]=v({query:D,variables:{where:r}}),C=(((R=p.data)==null?void 0:R.regions.edges)??[]).flatMap(u=>u!=null&&u.node?[{value:u.node.id,label:`${u.node.name}（${O("RegionLevel",u.node.level)}）`,name:u.node.name}]:[]);return i.jsx(T,{"data-testid":n,showSearch:!0,allowClear:!0,value:t,placeholder:o,filterOption:!1,onSearch:A,onChange:(u,g)=>s(u,Array.isArray(g)||g==null?void 0:g.name),loading:p.fetching,options:C,style:{minWidth:200}})}const L="mashang.alerts.sound",$="mashang.alerts.notify";let d=null,w=0;function E(){try{d??(d=new AudioContext),d.state==="suspended"&&d.resume()}catch{d=null}}function b(){try{if(E(),!d)return;const e=d.currentTime;[880,660].forEach((t,s)=>{const o=d.createOscillator(),n=d.createGain(),a=e+s*.22;o.type="sine",o.frequency.value=t,n.gain.setValueAtTime(1e-4,a),n.gain.exponentialRampToValueAtTime(.25,a+.02),n.gain.exponentialRampToValueAtTime(1e-4,a+.2),o.connect(n).connect(d.destination),o.start(a),o.stop(a+.21)}),w++,document.documentElement.dataset.alertTones=String(w)}catch{}}function V(e,t){const s=localStorage.getItem(e);return s===null?t:s==="1"}function y(e,t){const[s,o]=m.useState(()=>V(e,t)),n=m.useCallback(a=>{localStorage.setItem(e,a?"1":"0"),o(a)},[e]);return[s,n]}function X(){const[e,t]=y(L,!0),[s,o]=y($,!1),n=typeof Notification<"u";m.useEffect(()=>{if(!e||d)return;const r=()=>E();return window.addEventListener("pointerdown",r,{once:!0}),window.addEventListener("keydown",r,{once:!0}),()=>{window.removeEventListener("pointerdown",r),window.removeEventListener("keydown",r)}},[e]);const a=m.useCallback(async r=>{r&&n&&Notification.permission==="default"&&await Notification.requestPermission(),o(r)},[n,o]),A=s&&n&&Notification.permission==="denied",c=m.useCallback((r,p)=>{if(e&&b(),s&&n&&Notification.permission==="granted")try{new Notification(r,{body:p,tag:"mashang-alert"})}catch{}},[e,s,n]);return{sound:e,setSound:t,notify:s,setNotify:a,notifyDenied:A,signal:c}}export{q as A,B as C,M as H,Y as K,j as M,K as P,Q as R,U as S,z as T,J as a,_ as b,H as c,W as d,F as e,X as u};
