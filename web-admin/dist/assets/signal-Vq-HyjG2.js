import{j as c,r as m}from"./react-DvMe2k-3.js";import{ag as R,n as r,a as f,T as A,k as C,e as P,S as T}from"./index-D9y_8fwR.js";R("alerts",{title:"异常预警",live:"实时推送中",connecting:"正在连接实时推送…",liveError:"实时推送已断开，列表仍可刷新",sound:"提示音",notify:"桌面通知",notifyDenied:"浏览器未允许通知",notifyTitle:"新的异常提醒",filterStatus:"状态",filterKind:"类型",filterRegion:"区划",regionPlaceholder:"辖区内的区划",allStatus:"全部状态",allKind:"全部类型",newAlerts:"新的异常提醒（{{count}}）",newAlertsHint:"健康码为橙码、红码或体温异常的人员，标红单独展示",clearNew:"全部已读",newTag:"新",raisedAt:"时间",kind:"类型",person:"人员",place:"地点",colour:"健康码",temperature:"体温",reasons:"原因",status:"状态",handle:"处理",empty:"暂无异常预警",detail:"预警处理",assignee:"指派网格员",pickAssignee:"选择本社区网格员",noAssignees:"该预警所在社区（或人员居住社区）暂无可指派的网格员",note:"备注",notePlaceholder:"处理说明（可选）",assign:"指派",reassign:"改派",assigned:"已指派给网格员",waitVisit:"等待网格员上门核实",closeNote:"办结说明",close:"办结",closed:"预警已办结",closeConfirm:"确认办结此预警？",history:"处理记录",noHistory:"尚无处理记录",by:"操作人",me:"我",accountN:"账号 {{id}}",assignedTo:"指派给 {{name}}",pauses:"暂停推送",pausesHint:"暂停后，该区划内的预警仍会记录和列出，但不再实时推送（如批量导入出错时）。",pauseRegion:"暂停区划",pauseReason:"暂停原因",pause:"暂停推送",pauseConfirmTitle:"确认暂停 {{name}} 的预警推送？",pauseConfirm:"暂停期间新预警不会实时推送给任何人，直到恢复。",paused:"已暂停推送",resume:"恢复",resumeConfirm:"恢复 {{name}} 的预警推送？",resumed:"已恢复推送",noPauses:"当前没有暂停推送的区划",pausedAt:"暂停时间",more:"加载更多",reasonRequired:"请填写原因",enumStatus:{OPEN:"待处理",ASSIGNED:"已指派",VISITED:"已上门核实",CLOSED:"已办结"},enumKind:{SCAN:"扫码异常",COLOUR_CHANGE:"赋码变更"},enumAction:{ASSIGN:"指派",VISIT:"上门核实",CLOSE:"办结"}},{title:"Alerts",live:"Live",connecting:"Connecting to live alerts…",liveError:"Live alerts disconnected; the list can still be refreshed",sound:"Sound",notify:"Notifications",notifyDenied:"The browser does not allow notifications",notifyTitle:"New abnormal alert",filterStatus:"Status",filterKind:"Kind",filterRegion:"Region",regionPlaceholder:"A region in your scope",allStatus:"All statuses",allKind:"All kinds",newAlerts:"New abnormal alerts ({{count}})",newAlertsHint:"People with an orange or red code or a fever, shown in red apart",clearNew:"Mark all read",newTag:"New",raisedAt:"Time",kind:"Kind",person:"Person",place:"Place",colour:"Code",temperature:"Temperature",reasons:"Reasons",status:"Status",handle:"Handle",empty:"No alerts",detail:"Handling the alert",assignee:"Assign to a grid worker",pickAssignee:"A grid worker of the community",noAssignees:"No grid worker can be assigned in the community of this alert (or where the person lives)",note:"Note",notePlaceholder:"A note (optional)",assign:"Assign",reassign:"Reassign",assigned:"Assigned to the grid worker",waitVisit:"Waiting for the grid worker’s visit",closeNote:"Closing note",close:"Close",closed:"Alert closed",closeConfirm:"Close this alert?",history:"History",noHistory:"Not handled yet",by:"By",me:"me",accountN:"account {{id}}",assignedTo:"assigned to {{name}}",pauses:"Paused pushes",pausesHint:"While paused, the alerts of the region are still recorded and listed, but not pushed live (e.g. after a bad import).",pauseRegion:"Region to pause",pauseReason:"Reason",pause:"Pause pushes",pauseConfirmTitle:"Pause the alert pushes of {{name}}?",pauseConfirm:"New alerts will not be pushed to anyone until resumed.",paused:"Pushes paused",resume:"Resume",resumeConfirm:"Resume the alert pushes of {{name}}?",resumed:"Pushes resumed",noPauses:"No region is paused",pausedAt:"Paused at",more:"Load more",reasonRequired:"Give a reason",enumStatus:{OPEN:"Open",ASSIGNED:"Assigned",VISITED:"Visited",CLOSED:"Closed"},enumKind:{SCAN:"Scan",COLOUR_CHANGE:"Colour change"},enumAction:{ASSIGN:"Assign",VISIT:"Visit",CLOSE:"Close"}});R("tasks",{title:"我的任务",hint:"指派给我的异常人员，请及时上门核实（基层网格员要及时上门核实）",empty:"暂无待上门核实的任务",visitWhom:"核实对象",address:"住址",place:"异常地点",reasons:"异常原因",assignedAt:"指派时间",call:"拨打电话",callHint:"查看电话将被记录（审计）",noPhone:"未登记电话",fullAddress:"详细住址",visitNote:"上门核实情况",visitPlaceholder:"如：已上门核实，体温复测正常，已告知居家观察",visitRequired:"请填写上门核实情况",submitVisit:"提交核实结果",visited:"已提交核实结果",done:"已完成（{{count}}）",newTask:"有新的任务指派给您"},{title:"My tasks",hint:"People assigned to me: visit them promptly",empty:"No visit to make",visitWhom:"Visit",address:"Address",place:"Where",reasons:"Why",assignedAt:"Assigned",call:"Call",callHint:"Reading the phone is recorded (audited)",noPhone:"No phone registered",fullAddress:"Full address",visitNote:"What the visit found",visitPlaceholder:"e.g. visited, temperature normal on re-check, told to stay home",visitRequired:"Describe what the visit found",submitVisit:"Submit the visit",visited:"Visit recorded",done:"Done ({{count}})",newTask:"A new task was assigned to you"});r(`
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
`);r(`
  fragment AlertStepRow on AlertStep {
    from
    to
    assigneeId
    byAccountId
    note
    at
  }
`);const O=r(`
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
`),x=r(`
  subscription AlertRaised($scope: ID) {
    alertRaised(scope: $scope) {
      ...AlertRow
    }
  }
`),L=r(`
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
`),q=r(`
  mutation HandleAlert($input: HandleAlertInput!) {
    handleAlert(input: $input) {
      ...AlertRow
      steps {
        ...AlertStepRow
      }
    }
  }
`),M=r(`
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
`),K=r(`
  mutation PauseAlerts($region: ID!, $paused: Boolean!, $reason: String) {
    pauseAlerts(region: $region, paused: $paused, reason: $reason)
  }
`),k=r(`
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
`),W=r(`
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
`),G=r(`
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
`),D={OPEN:"red",ASSIGNED:"orange",VISITED:"blue",CLOSED:"default"};function _({status:e}){const{t}=f();return c.jsx(A,{color:D[e],children:t(`alerts.enumStatus.${e}`,{defaultValue:e})})}function j({kind:e}){const{t}=f();return c.jsx(A,{children:t(`alerts.enumKind.${e}`,{defaultValue:e})})}function B({reasons:e}){return f(),c.jsx(c.Fragment,{children:e.map(t=>c.jsx(A,{color:"red",children:C("AlertReason",t)},t))})}function F({scope:e,value:t,onChange:n,placeholder:o,testId:s}){var w;const[a,h]=m.useState(""),u=a.trim(),i=u?{within:e,.../^\d+$/.test(u)?{codeHasPrefix:u}:{nameContains:u}}:e?{or:[{id:e},{hasParentWith:[{id:e}]}]}:{level:"PROVINCE"},[p]=P({query:k,variables:{where:i}}),v=(((w=p.data)==null?void 0:w.regions.edges)??[]).flatMap(d=>d!=null&&d.node?[{value:d.node.id,label:`${d.node.name}（${C("RegionLevel",d.node.level)}）`,name:d.node.name}]:[]);return c.jsx(T,{"data-testid":s,showSearch:!0,allowClear:!0,value:t,placeholder:o,filterOption:!1,onSearch:h,onChange:(d,g)=>n(d,Array.isArray(g)||g==null?void 0:g.name),loading:p.fetching,options:v,style:{minWidth:200}})}const E="mashang.alerts.sound",I="mashang.alerts.notify";let l=null,y=0;function N(){try{l??(l=new AudioContext),l.state==="suspended"&&l.resume()}catch{l=null}}function $(){try{if(N(),!l)return;const e=l.currentTime;[880,660].forEach((t,n)=>{const o=l.createOscillator(),s=l.createGain(),a=e+n*.22;o.type="sine",o.frequency.value=t,s.gain.setValueAtTime(1e-4,a),s.gain.exponentialRampToValueAtTime(.25,a+.02),s.gain.exponentialRampToValueAtTime(1e-4,a+.2),o.connect(s).connect(l.destination),o.start(a),o.stop(a+.21)}),y++,document.documentElement.dataset.alertTones=String(y)}catch{}}function b(e,t){const n=localStorage.getItem(e);return n===null?t:n==="1"}function S(e,t){const[n,o]=m.useState(()=>b(e,t)),s=m.useCallback(a=>{localStorage.setItem(e,a?"1":"0"),o(a)},[e]);return[n,s]}function U(){const[e,t]=S(E,!0),[n,o]=S(I,!1),s=typeof Notification<"u";m.useEffect(()=>{if(!e||l)return;const i=()=>N();return window.addEventListener("pointerdown",i,{once:!0}),window.addEventListener("keydown",i,{once:!0}),()=>{window.removeEventListener("pointerdown",i),window.removeEventListener("keydown",i)}},[e]);const a=m.useCallback(async i=>{i&&s&&Notification.permission==="default"&&await Notification.requestPermission(),o(i)},[s,o]),h=n&&s&&Notification.permission==="denied",u=m.useCallback((i,p)=>{if(e&&$(),n&&s&&Notification.permission==="granted")try{new Notification(i,{body:p,tag:"mashang-alert"})}catch{}},[e,n,s]);return{sound:e,setSound:t,notify:n,setNotify:a,notifyDenied:h,signal:u}}export{L as A,q as H,j as K,W as M,K as P,B as R,_ as S,F as a,M as b,O as c,x as d,G as e,U as u};
