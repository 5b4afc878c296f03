package database

import (
	"container/list"
	"context"
	"database/sql/driver"
)

// DefaultStatementCache is how many prepared statements each PostgreSQL
// connection keeps (Options.StatementCache).
const DefaultStatementCache = 256

// pqConn is what lib/pq's connection implements and database/sql uses.
type pqConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.QueryerContext
	driver.ExecerContext
	driver.NamedValueChecker
	driver.SessionResetter
	driver.Validator
	driver.Pinger
}

// stmtCacheConnector gives every connection it opens a cache of named
// prepared statements (issue 15: "prepared statements"). lib/pq runs a
// statement with arguments as an unnamed prepare: Parse and Describe, a
// round trip, then Bind and Execute, and PostgreSQL parses, analyses and
// plans the text each time. ent sends the same texts over and over (one
// per query shape), so a connection prepares each once and then only binds
// and executes it; PostgreSQL may then reuse the plan too (plan_cache_mode
// auto keeps custom plans where the generic one would cost more).
type stmtCacheConnector struct {
	driver.Connector
	size int
}

func (c stmtCacheConnector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	pc, ok := cn.(pqConn)
	if !ok {
		return cn, nil // another driver: no cache
	}
	return &stmtCacheConn{pqConn: pc, size: c.size, byQuery: map[string]*list.Element{}}, nil
}

// stmtCacheConn is one connection with its statements, least recently
// used last. database/sql uses a connection from one goroutine at a time.
type stmtCacheConn struct {
	pqConn
	size    int
	byQuery map[string]*list.Element
	lru     list.List // of *cachedStmt
}

type cachedStmt struct {
	query string
	stmt  driver.Stmt
}

// prepared returns the connection's statement for query, preparing it (a
// round trip) the first time and closing the least recently used one
// beyond the cache's size.
func (c *stmtCacheConn) prepared(ctx context.Context, query string) (driver.Stmt, error) {
	if e, ok := c.byQuery[query]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*cachedStmt).stmt, nil
	}
	st, err := c.pqConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.byQuery[query] = c.lru.PushFront(&cachedStmt{query: query, stmt: st})
	if c.lru.Len() > c.size {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.byQuery, old.query)
		if err := old.stmt.Close(); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// QueryContext runs a statement with arguments as the connection's
// prepared statement; one without arguments keeps lib/pq's simple query
// (one round trip, nothing to reuse).
func (c *stmtCacheConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) == 0 {
		return c.pqConn.QueryContext(ctx, query, args)
	}
	st, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.(driver.StmtQueryContext).QueryContext(ctx, args)
}

// ExecContext: as QueryContext.
func (c *stmtCacheConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if len(args) == 0 {
		return c.pqConn.ExecContext(ctx, query, args)
	}
	st, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.(driver.StmtExecContext).ExecContext(ctx, args)
}

// Close needs nothing of its own: the statements end with the session
// (the embedded connection's Close).
