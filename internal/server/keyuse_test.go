package server

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestRecordKeyUses: a call with an issued key is written to the store by
// the credentials' RecordUses (here at its final flush), with its service and region; a
// dev-mode root, which has no key, is not.
func TestRecordKeyUses(t *testing.T) {
	f := newFixture(t, Options{Dev: true, DefaultAccount: "123456789012"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.s.creds.RecordUses(ctx, time.Hour); close(done) }()
	for _, key := range [][2]string{{userKeyID, userSecret}, {userKeyID, userSecret}, {"test", "test"}} {
		if _, err := f.stsClient(key[0], key[1]).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.st.recordedUses(); len(got) != 0 {
		t.Fatalf("uses written before the flush: %+v", got)
	}
	cancel()
	<-done
	got := f.st.recordedUses()
	if len(got) != 1 || got[0].AccessKeyID != userKeyID || got[0].Service != "sts" || got[0].Region != "us-east-1" || got[0].Time.IsZero() {
		t.Fatalf("recorded uses = %+v, want one use of %s by sts in us-east-1", got, userKeyID)
	}
}
