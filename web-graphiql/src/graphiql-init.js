// Mounts GraphiQL on /graphql of this server. Log in with the login
// mutation, then put {"Authorization": "Bearer <accessToken>"} in the
// Headers tab. Subscriptions are not offered here (graphql-ws is not bundled).
(function () {
  var fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', window.location.href).href });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    defaultQuery: '# 码上 GraphiQL\n{\n  __typename\n}\n',
  }));
})();
