import{j as r}from"./react-DsrdZ-kZ.js";import{u as a,T as s}from"./index-BBa3y38V.js";function o(){const{t}=a();return r.jsx(s.Title,{level:3,children:t("nav.grants")})}export{o as default};
