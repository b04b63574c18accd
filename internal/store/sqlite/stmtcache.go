package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"

	"modernc.org/sqlite"
)

// maxCachedStmts bounds each connection's statement cache. The store's
// queries are a fixed set of a few hundred texts.
const maxCachedStmts = 512

// connector opens driver connections that keep their prepared statements:
// database/sql prepares nothing by itself for a driver that executes
// queries directly, so without the cache SQLite would parse every query
// again, which cost about 40% of a single-row read.
type connector struct {
	dsn string
	drv *sqlite.Driver
}

// Connect opens a connection.
func (c connector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	inner, ok := conn.(innerConn)
	if !ok {
		conn.Close()
		return nil, errors.New("sqlite: the driver's connection lacks the context interfaces")
	}
	return &cachingConn{innerConn: inner, stmts: map[string]*cachedStmt{}}, nil
}

// Driver returns the driver.
func (c connector) Driver() driver.Driver { return c.drv }

// innerConn is what the modernc connection implements and the cache uses.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConn executes queries through prepared statements that it keeps.
type cachingConn struct {
	innerConn
	stmts map[string]*cachedStmt
}

// cachedStmt is a kept statement; busy while rows of it are open.
type cachedStmt struct {
	driver.Stmt
	busy bool
}

// stmt returns the kept statement for query, preparing it when missing. A
// busy statement is not shared: the caller gets a fresh one, closed with
// its rows (owned is true).
func (c *cachingConn) stmt(ctx context.Context, query string) (st *cachedStmt, owned bool, err error) {
	if st := c.stmts[query]; st != nil && !st.busy {
		return st, false, nil
	}
	ds, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, false, err
	}
	st = &cachedStmt{Stmt: ds}
	if c.stmts[query] != nil || len(c.stmts) >= maxCachedStmts {
		return st, true, nil
	}
	c.stmts[query] = st
	return st, false, nil
}

// ExecContext runs a statement through the cache.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, owned, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if owned {
		defer st.Close()
	}
	return st.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// QueryContext runs a query through the cache.
func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, owned, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		if owned {
			st.Close()
		}
		return nil, err
	}
	st.busy = true
	return &cachedRows{Rows: rows, st: st, owned: owned}, nil
}

// Close closes the kept statements and the connection.
func (c *cachingConn) Close() error {
	var errs []error
	for _, st := range c.stmts {
		errs = append(errs, st.Close())
	}
	c.stmts = nil
	return errors.Join(append(errs, c.innerConn.Close())...)
}

// cachedRows frees its statement for reuse when closed.
type cachedRows struct {
	driver.Rows
	st    *cachedStmt
	owned bool
}

// Close closes the rows and releases (or closes) the statement.
func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.st.busy = false
	if r.owned {
		err = errors.Join(err, r.st.Close())
	}
	return err
}
