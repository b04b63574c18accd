// Command flood loads an iamq endpoint as an attacker would, to measure what
// the server holds under it (scripts/bench/flood.sh runs it):
//
//	flood posts -url URL [-workers 200] [-size 1048576] [-for 10s] [-key AKIA…]
//	flood idle  -url URL [-conns 10000] [-hold 30s]
//	flood call  -url URL -key ID -secret S [-n 10]
//
// posts sends unsigned (or, with -key, signed by an unknown key) POSTs of
// -size bytes from -workers goroutines, each on a new connection, for -for,
// and counts the answers. idle opens -conns TCP connections that send
// nothing, prints "holding N" once they are open, and keeps them -hold
// longer. call makes -n signed sts:GetCallerIdentity calls, each on a new
// connection, and prints the slowest.
//
// It is a module of its own, on the standard library alone (it signs with
// SigV4 by hand), so that it stays out of iamq's package table.
package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: flood posts|idle|call -url URL …")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	endpoint := fs.String("url", "http://127.0.0.1:4599", "the endpoint")
	workers := fs.Int("workers", 200, "posts: concurrent POSTs")
	size := fs.Int("size", 1<<20, "posts: body bytes")
	dur := fs.Duration("for", 10*time.Second, "posts: how long")
	conns := fs.Int("conns", 10000, "idle: connections to hold")
	hold := fs.Duration("hold", 30*time.Second, "idle: how long to hold them")
	key := fs.String("key", "", "access key id (posts: sign with it; call: required)")
	secret := fs.String("secret", "x", "secret access key")
	n := fs.Int("n", 10, "call: calls")
	fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "posts":
		err = posts(*endpoint, *workers, *size, *dur, *key, *secret)
	case "idle":
		err = idle(*endpoint, *conns, *hold)
	case "call":
		err = call(*endpoint, *key, *secret, *n)
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "flood:", err)
		os.Exit(1)
	}
}

// request builds a form POST of the given body, signed when key is set.
func request(endpoint string, body []byte, key, secret string) (*http.Request, error) {
	r, err := http.NewRequest(http.MethodPost, endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if key != "" {
		sign(r, body, key, secret, time.Now().UTC())
	}
	return r, nil
}

// sign signs r for STS in us-east-1 with SigV4, over the headers
// content-type, host and x-amz-date (AWS General Reference, "Create a
// signed AWS API request").
func sign(r *http.Request, body []byte, key, secret string, at time.Time) {
	amzDate, day := at.Format("20060102T150405Z"), at.Format("20060102")
	r.Header.Set("X-Amz-Date", amzDate)
	sum := sha256.Sum256(body)
	const signed = "content-type;host;x-amz-date"
	canonical := strings.Join([]string{r.Method, "/", "",
		"content-type:" + r.Header.Get("Content-Type"), "host:" + r.URL.Host, "x-amz-date:" + amzDate, "",
		signed, hex.EncodeToString(sum[:])}, "\n")
	scope := day + "/us-east-1/sts/aws4_request"
	crSum := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(crSum[:])
	k := []byte("AWS4" + secret)
	for _, part := range []string{day, "us-east-1", "sts", "aws4_request"} {
		k = mac(k, part)
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+key+"/"+scope+", SignedHeaders="+signed+
		", Signature="+hex.EncodeToString(mac(k, toSign)))
}

func mac(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func posts(endpoint string, workers, size int, dur time.Duration, key, secret string) error {
	body := []byte("Action=GetCallerIdentity&Version=2011-06-15&Padding=" + strings.Repeat("x", max(size-52, 0)))
	var mu sync.Mutex
	outcomes := map[string]int{}
	count := func(k string) { mu.Lock(); outcomes[k]++; mu.Unlock() }
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
			for time.Now().Before(deadline) {
				r, err := request(endpoint, body, key, secret)
				if err != nil {
					count("error building: " + err.Error())
					return
				}
				resp, err := client.Do(r)
				if err != nil {
					count("connection error") // refused mid-body: the server closed
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				code := ""
				if i := bytes.Index(b, []byte("<Code>")); i >= 0 {
					if j := bytes.Index(b[i:], []byte("</Code>")); j > 0 {
						code = " " + string(b[i+6:i+j])
					}
				}
				count(fmt.Sprintf("%d%s", resp.StatusCode, code))
			}
		}()
	}
	wg.Wait()
	keys := make([]string, 0, len(outcomes))
	for k := range outcomes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s: %d\n", k, outcomes[k])
	}
	return nil
}

func idle(endpoint string, n int, hold time.Duration) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return err
	}
	began := time.Now()
	held := make([]net.Conn, 0, n)
	var failed atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
			if err != nil {
				failed.Add(1)
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Printf("holding %d (failed %d) after %v\n", len(held), failed.Load(), time.Since(began).Round(time.Millisecond))
	time.Sleep(hold)
	closed := 0
	for _, c := range held {
		c.SetReadDeadline(time.Now().Add(time.Millisecond))
		var ne net.Error
		if _, err := bufio.NewReader(c).ReadByte(); err != nil && !(errors.As(err, &ne) && ne.Timeout()) {
			closed++ // end of stream or reset: the server closed it
		}
		c.Close()
	}
	fmt.Printf("closed by the server by then: %d of %d\n", closed, len(held))
	return nil
}

func call(endpoint, key, secret string, n int) error {
	body := []byte("Action=GetCallerIdentity&Version=2011-06-15")
	var worst time.Duration
	ok := 0
	for range n {
		r, err := request(endpoint, body, key, secret)
		if err != nil {
			return err
		}
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
		began := time.Now()
		resp, err := client.Do(r)
		d := time.Since(began)
		worst = max(worst, d)
		if err != nil {
			fmt.Printf("call: %v after %v\n", err, d.Round(time.Millisecond))
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			ok++
		}
		time.Sleep(100 * time.Millisecond)
	}
	fmt.Printf("signed calls on new connections: %d of %d OK, slowest %v\n", ok, n, worst.Round(time.Millisecond))
	return nil
}
