package ent

// This file is written by hand (entc leaves it alone): the generated
// client keeps its driver to itself.

// Dialect is the SQL dialect of the client's driver (dialect.Postgres,
// dialect.SQLite), a transaction's client included, found without a
// statement: for the raw SQL a domain package writes per dialect (audit's
// chain append).
func (c *Client) Dialect() string { return c.driver.Dialect() }
