import{j as e}from"./react-DsrdZ-kZ.js";import{u as r,T as s}from"./index-CaL7gqGG.js";function a(){const{t}=r();return e.jsx(s.Title,{level:3,children:t("site.title")})}export{a as default};
