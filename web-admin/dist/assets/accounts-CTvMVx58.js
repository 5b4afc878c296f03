import{j as a}from"./react-DsrdZ-kZ.js";import{u as o,T as r}from"./index-BBa3y38V.js";function n(){const{t}=o();return a.jsx(r.Title,{level:3,children:t("nav.accounts")})}export{n as default};
