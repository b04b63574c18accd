package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// Server is a PostgreSQL server of one test's own, which the test may stop
// and restart (the fault tests): the shared server of [ServerURL] must
// stay up for every other test.
type Server struct {
	// URL connects to its postgres database.
	URL  string
	bin  string // the directory of initdb and pg_ctl
	dir  string
	port int
	asPG bool // run its commands as the postgres user (initdb refuses root)
}

// StartServer initializes and starts a server in a temporary directory with
// the PostgreSQL binaries the test command installs, and stops it when the
// test ends. Like [ServerURL], it skips the test outside the test command —
// and fails under CI — when no server can be made.
func StartServer(t testing.TB) *Server {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		if os.Getenv("CI") != "" || Available() {
			t.Fatal("no PostgreSQL binaries under /usr/lib/postgresql: scripts/test.sh installs them")
		}
		t.Skip("no PostgreSQL binaries under /usr/lib/postgresql (scripts/test.sh installs them)")
	}
	sort.Strings(bins) // the last is the newest major version, as test.sh picks
	s := &Server{bin: filepath.Dir(bins[len(bins)-1]), asPG: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("", "iamq-pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	s.dir = dir
	t.Cleanup(func() {
		s.pgctl("-m", "immediate", "stop")
		os.RemoveAll(dir)
	})
	if s.asPG {
		pg, err := user.Lookup("postgres")
		if err != nil {
			t.Fatal(err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if s.port, err = freePort(); err != nil {
		t.Fatal(err)
	}
	if out, err := s.run("initdb", "-D", s.data(), "-U", "postgres", "-A", "trust"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	s.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
	s.Start(t)
	return s
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// Start starts the stopped server on its port, waiting until it accepts
// connections.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", s.port, s.dir)
	if out, err := s.pgctl("-l", filepath.Join(s.dir, "log"), "-w", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// Stop stops the server at once (immediate mode: clients' connections are
// cut, as in a crash or a failover).
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if out, err := s.pgctl("-m", "immediate", "-w", "stop"); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

func (s *Server) pgctl(args ...string) ([]byte, error) {
	return s.run("pg_ctl", append([]string{"-D", s.data()}, args...)...)
}

func (s *Server) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	if s.asPG {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(s.bin, name)}, args...)...)
	}
	return cmd.CombinedOutput()
}

// freePort is a TCP port the kernel says is free.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
