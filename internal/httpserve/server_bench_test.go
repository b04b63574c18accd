package httpserve

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkServe compares this server with net/http's on one kept-alive
// loopback connection: a signed-API-sized POST read whole, a 400-byte
// answer with two headers. cpu-us/op is the process's CPU time (client and
// server) per request, which the machine's other load does not inflate.
func BenchmarkServe(b *testing.B) {
	body := strings.Repeat("x", 400)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = []string{"text/xml"}
		w.Header()["X-Amzn-Requestid"] = []string{"c4b5e1f2-aaaa-bbbb-cccc-000000000001"}
		io.WriteString(w, body)
	})
	form := "Action=GetCallerIdentity&Version=2011-06-15"
	req := "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n" +
		"X-Amz-Date: 20261126T040000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIA/20261126/us-east-1/sts/aws4_request, " +
		"SignedHeaders=content-type;host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n" +
		"Content-Length: " + strconv.Itoa(len(form)) + "\r\n\r\n" + form
	b.Run("httpserve", func(b *testing.B) { benchServe(b, start(b, &Server{Handler: h}), req) })
	b.Run("net-http", func(b *testing.B) {
		std := httptest.NewServer(h)
		defer std.Close()
		benchServe(b, std.Listener.Addr().String(), req)
	})
}

func benchServe(b *testing.B, addr, req string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	cpu0 := processCPU()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.WriteString(c, req); err != nil {
			b.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.ReportMetric(float64(processCPU()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-us/op")
}

// processCPU returns the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
