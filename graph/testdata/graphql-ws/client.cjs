// Runs the npm graphql-ws client, with its default retry rules and waits, against
// the server at argv[2] with the token argv[3], subscribed to alertRaised.
// Prints "connected" when acknowledged (the Go test may then end the
// session), and at the end one JSON line: how many sockets it opened, the
// close codes and reasons it met, and how the subscription ended.
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

const [url, token, waitMs] = [process.argv[2], process.argv[3], Number(process.argv[4] || 20000)];
const result = { connects: 0, closes: [], ended: null };
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: 'Bearer ' + token },
  on: {
    connecting: () => { result.connects++; },
    connected: () => { console.log('connected'); },
    closed: (e) => { result.closes.push({ code: e.code, reason: e.reason }); },
  },
});
const finish = (how) => {
  if (result.ended) return;
  result.ended = how;
  console.log(JSON.stringify(result));
  client.dispose();
  process.exit(0);
};
client.subscribe({ query: 'subscription { alertRaised { id } }' }, {
  next: () => {},
  error: (e) => finish('error ' + (e && e.code ? e.code : String(e))),
  complete: () => finish('complete'),
});
setTimeout(() => finish('timeout'), waitMs);
