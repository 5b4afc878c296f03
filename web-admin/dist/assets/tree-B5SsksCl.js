import{j as t}from"./react-DsrdZ-kZ.js";import{u as r,T as o}from"./index-CaL7gqGG.js";function i(){const{t:e}=r();return t.jsx(o.Title,{level:3,children:e("tree.title")})}export{i as default};
