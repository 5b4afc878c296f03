import{j as t}from"./react-DvMe2k-3.js";import{a as r,aI as s}from"./index-B2NTAju0.js";function o(){const{t:a}=r();return t.jsx(s.Title,{level:3,children:a("nav.grants")})}export{o as default};
