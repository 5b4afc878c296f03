import{j as t}from"./react-DvMe2k-3.js";import{a as o,aI as r}from"./index-B2NTAju0.js";function n(){const{t:a}=o();return t.jsx(r.Title,{level:3,children:a("nav.accounts")})}export{n as default};
