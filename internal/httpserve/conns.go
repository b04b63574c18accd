package httpserve

import (
	"sync"
	"time"
)

// idleList is a doubly linked list of connections through their prev and
// next links, in the order they became idle: the front has been idle
// longest. It is guarded by Server.mu.
type idleList struct {
	front, back *conn
}

// push appends c, which is in no list, at the back.
func (l *idleList) push(c *conn) {
	c.prev, c.next = l.back, nil
	if l.back != nil {
		l.back.next = c
	} else {
		l.front = c
	}
	l.back = c
}

// unlink takes c out of the list; c must be in it.
func (l *idleList) unlink(c *conn) {
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		l.front = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else {
		l.back = c.prev
	}
	c.prev, c.next = nil, nil
}

func (s *Server) maxConnections() int {
	if s.MaxConnections > 0 {
		return s.MaxConnections
	}
	return DefaultMaxConnections
}

// admit counts a new connection in, idle until its first request. At the
// cap it ends the connection idle longest to make room, or, when none is
// idle, waits for one to end. It reports false once Shutdown has begun.
func (s *Server) admit(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		s.conns = make(map[*conn]struct{})
		s.freed = sync.NewCond(&s.mu)
	}
	for len(s.conns) >= s.maxConnections() && !s.closing.Load() {
		if old := s.idle.front; old != nil {
			s.evict(old)
			continue
		}
		s.waiting = true
		s.freed.Wait()
	}
	s.waiting = false
	if s.closing.Load() {
		return false
	}
	s.conns[c] = struct{}{}
	s.idle.push(c)
	return true
}

// evict ends an idle connection to make room for a new one. Its socket is
// closed now, which wakes its goroutine and frees the descriptor at once; a
// request that arrives at the same instant is lost as on any idle
// connection a server closes, which clients retry.
func (s *Server) evict(c *conn) {
	s.idle.unlink(c)
	delete(s.conns, c)
	c.shut = true
	c.rwc.Close()
}

// remove counts a connection out when its goroutine ends.
func (s *Server) remove(c *conn) {
	s.mu.Lock()
	if _, ok := s.conns[c]; ok {
		delete(s.conns, c)
		if !c.busy {
			s.idle.unlink(c)
		}
		s.freed.Signal()
	}
	s.mu.Unlock()
}

// closeIfIdle ends the connection now if it is waiting for a request; the
// caller holds s.mu.
func (c *conn) closeIfIdle() {
	c.shut = true
	if !c.busy {
		c.rwc.SetReadDeadline(time.Unix(1, 0)) // wakes the pending read
	}
}

// setBusy marks the connection as reading a request (out of the idle list),
// unless Shutdown or the cap has ended it, or as idle again.
func (c *conn) setBusy(busy bool) bool {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.shut {
		return false
	}
	if busy != c.busy {
		if busy {
			s.idle.unlink(c)
		} else {
			s.idle.push(c)
			if s.waiting {
				s.freed.Signal() // an accept at the cap can take its place
			}
		}
		c.busy = busy
	}
	return true
}
