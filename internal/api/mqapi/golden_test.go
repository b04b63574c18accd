package mqapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamq/iamq/internal/server/servertest"
)

// ipAddress is an instance's address, derived from the random id.
var ipAddress = regexp.MustCompile(`"ipAddress": "[0-9.]+"`)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestWireGolden keeps the JSON bodies of a few answers, with the wire
// names of the service model, under testdata/ (refresh with -update and
// review the diff like code). Ids are replaced by placeholders.
func TestWireGolden(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := activeMQ("golden")
	in.Tags = map[string]string{"team": "blue"}
	out, err := f.mq.CreateBroker(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	id := aws.ToString(out.BrokerId)
	tests := []struct {
		file, method, path, body string
		status                   int
		errType                  string
	}{
		{"describe-broker.json", "GET", "/v1/brokers/" + id, "", 200, ""},
		{"list-brokers.json", "GET", "/v1/brokers?maxResults=5", "", 200, ""},
		{"error-bad-request.json", "POST", "/v1/brokers", `{"brokerName":"a b","deploymentMode":"SINGLE_INSTANCE","engineType":"ACTIVEMQ","hostInstanceType":"mq.t3.micro","publiclyAccessible":false}`, 400, "BadRequestException"},
		{"error-not-found.json", "GET", "/v1/brokers/b-none", "", 404, "NotFoundException"},
	}
	for _, tt := range tests {
		r, err := http.NewRequest(tt.method, f.url+tt.path, strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		servertest.Sign(t, r, []byte(tt.body), account, "x", "us-east-1", "mq", time.Now())
		resp, err := f.ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || resp.Header.Get("X-Amzn-Errortype") != tt.errType {
			t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.path, resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), tt.status, tt.errType)
		}
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, body, "", "  "); err != nil {
			t.Fatalf("%s: %v: %s", tt.file, err, body)
		}
		got := strings.ReplaceAll(pretty.String(), id, "b-ID")
		got = ipAddress.ReplaceAllString(got, `"ipAddress": "10.0.x.x"`)
		path := filepath.Join("testdata", tt.file)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s: the answer differs from the golden file:\n%s", tt.file, got)
		}
	}
}
