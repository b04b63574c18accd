package mqapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmq "github.com/aws/aws-sdk-go-v2/service/mq"

	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
	"github.com/iamq/iamq/internal/store/postgres/pgtest"
)

// The speed targets of issue 19: ListBrokers over 10,000 brokers in pages
// of 100, p50 ≤ 5 ms through HTTP; CreateBroker ≥ 500/s, signed and
// enforced (an IAM user with AmazonMQFullAccess), on SQLite, and the
// figure on PostgreSQL. Requests are signed with the SDK's signer for each
// call and sent over loopback.

// send signs and sends one request as the fixture's latest user and
// returns the status.
func (f *fixture) send(b *testing.B, method, path, body string) int {
	r, err := http.NewRequest(method, f.url+path, strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	servertest.Sign(b, r, []byte(body), f.keyID, f.secret, "us-east-1", "mq", time.Now())
	resp, err := f.ts.Client().Do(r)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// fillBrokers stores n copies of one broker made through the API, each
// with its own id and name, in one transaction.
func (f *fixture) fillBrokers(b *testing.B, n int) {
	ctx := context.Background()
	out, err := f.mq.CreateBroker(ctx, activeMQ("seed"))
	if err != nil {
		b.Fatal(err)
	}
	err = f.st.Update(ctx, account, func(tx store.Tx) error {
		r, err := tx.MQRecord(store.MQBroker, "us-east-1", "", aws.ToString(out.BrokerId), f.clock.Now())
		if err != nil {
			return err
		}
		var doc map[string]any
		if err := json.Unmarshal(r.Document, &doc); err != nil {
			return err
		}
		for i := range n - 1 {
			doc["id"], doc["name"] = fmt.Sprintf("b-%08d-0000-4000-8000-000000000000", i), fmt.Sprintf("broker-%05d", i)
			c := r
			c.ID, c.Name = doc["id"].(string), doc["name"].(string)
			if c.Document, err = json.Marshal(doc); err != nil {
				return err
			}
			if err := tx.PutMQRecord(c, true, f.clock.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkListBrokers10k reads the pages of 100 of 10,000 brokers in
// turn, as a user with AmazonMQReadOnlyAccess, and reports the median.
func BenchmarkListBrokers10k(b *testing.B) {
	f := newFixture(b)
	f.fillBrokers(b, 10000)
	f.user("reader", []string{readOnlyAccess}, "")
	var tokens []string
	next := ""
	for {
		tokens = append(tokens, next)
		out, err := f.mq.ListBrokers(context.Background(), &awsmq.ListBrokersInput{MaxResults: aws.Int32(100), NextToken: aws.String(next)})
		if err != nil {
			b.Fatal(err)
		}
		if len(out.BrokerSummaries) != 100 {
			b.Fatalf("a page of %d brokers", len(out.BrokerSummaries))
		}
		if next = aws.ToString(out.NextToken); next == "" {
			break
		}
	}
	if len(tokens) != 100 {
		b.Fatalf("%d pages, want 100", len(tokens))
	}
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		path := "/v1/brokers?maxResults=100"
		if t := tokens[i%len(tokens)]; t != "" {
			path += "&nextToken=" + url.QueryEscape(t)
		}
		began := time.Now()
		if status := f.send(b, http.MethodGet, path, ""); status != http.StatusOK {
			b.Fatalf("ListBrokers = %d", status)
		}
		times = append(times, time.Since(began))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}

// benchCreate creates brokers as a user with AmazonMQFullAccess from
// parallel clients and reports brokers created per second.
func benchCreate(b *testing.B, f *fixture) {
	f.user("admin", []string{fullAccess}, "")
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(4)
	began := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := fmt.Sprintf(`{"brokerName":"bench-%d","deploymentMode":"SINGLE_INSTANCE","engineType":"ACTIVEMQ",`+
				`"hostInstanceType":"mq.t3.micro","publiclyAccessible":false,"tags":{"team":"blue"},`+
				`"users":[{"username":"admin","password":"correct-horse-1"}]}`, n.Add(1))
			if status := f.send(b, http.MethodPost, "/v1/brokers", body); status != http.StatusOK {
				b.Errorf("CreateBroker = %d", status)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "creates/s")
}

// BenchmarkCreateBroker is CreateBroker on SQLite.
func BenchmarkCreateBroker(b *testing.B) { benchCreate(b, newFixture(b)) }

// BenchmarkCreateBrokerPostgres is CreateBroker on PostgreSQL
// (IAMQ_TEST_POSTGRES).
func BenchmarkCreateBrokerPostgres(b *testing.B) {
	if !pgtest.Available() {
		b.Skip("no PostgreSQL: set " + pgtest.EnvURL)
	}
	st, err := postgres.Open(context.Background(), pgtest.SchemaURL(b), store.Options{Key: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	benchCreate(b, newFixtureOn(b, st))
}
