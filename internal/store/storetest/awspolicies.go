package storetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// testAWSPolicyVersions checks publishing versions of AWS managed policies:
// numbering after the embedded versions, one default, documents, the
// global change record, and refusals.
func testAWSPolicyVersions(t *testing.T, s store.Store) {
	arn := awsPolicy("AmazonMQReadOnlyAccess")
	before, err := s.LastSeq(ctx)
	wantErr(t, "LastSeq", err, nil)

	v3, err := s.PublishAWSPolicyVersion(ctx, store.AWSPolicyPublish{ARN: arn, Document: doc, Embedded: 2, SetDefault: true})
	wantErr(t, "Publish v3", err, nil)
	if v3.ID != "v3" || !v3.IsDefault || v3.Created.IsZero() {
		t.Fatalf("Publish = %+v, want v3, default, dated", v3)
	}
	// Fewer embedded versions than published ones: numbering goes on.
	v4, err := s.PublishAWSPolicyVersion(ctx, store.AWSPolicyPublish{ARN: arn, Document: doc + " ", Embedded: 1})
	wantErr(t, "Publish v4", err, nil)
	if v4.ID != "v4" || v4.IsDefault {
		t.Fatalf("Publish = %+v, want v4, not default", v4)
	}
	v5, err := s.PublishAWSPolicyVersion(ctx, store.AWSPolicyPublish{ARN: arn, Document: doc + "  ", Embedded: 2, SetDefault: true})
	wantErr(t, "Publish v5", err, nil)

	list, err := s.AWSPolicyVersions(ctx)
	wantErr(t, "AWSPolicyVersions", err, nil)
	var ids, defaults []string
	for _, v := range list {
		if v.Document != "" {
			t.Errorf("AWSPolicyVersions lists %s with its document", v.ID)
		}
		ids = append(ids, v.ID)
		if v.IsDefault {
			defaults = append(defaults, v.ID)
		}
	}
	if len(ids) != 3 || ids[0] != "v3" || ids[2] != "v5" || len(defaults) != 1 || defaults[0] != v5.ID {
		t.Fatalf("AWSPolicyVersions = %v (defaults %v), want v3 v4 v5 with v5 the default", ids, defaults)
	}
	got, err := s.AWSPolicyVersion(ctx, arn, "v4")
	wantErr(t, "AWSPolicyVersion(v4)", err, nil)
	if got.Document != doc+" " || got.IsDefault || !got.Created.Equal(v4.Created) {
		t.Fatalf("AWSPolicyVersion(v4) = %+v, want %+v", got, v4)
	}
	for _, id := range []string{"v2", "v9", "x", ""} {
		_, err := s.AWSPolicyVersion(ctx, arn, id)
		wantErr(t, "AWSPolicyVersion("+id+")", err, store.ErrNotFound)
	}

	changes, err := s.Changes(ctx, before, 100)
	wantErr(t, "Changes", err, nil)
	if len(changes) != 3 {
		t.Fatalf("Changes after publishing = %d, want 3", len(changes))
	}
	for _, c := range changes {
		if c.AccountID != "" || c.Kind != store.KindAWSPolicy || c.Name != arn {
			t.Errorf("change %+v, want account \"\", kind %s, name %s", c, store.KindAWSPolicy, arn)
		}
	}

	for _, bad := range []store.AWSPolicyPublish{
		{ARN: store.PolicyARN("123456789012", "/", "Mine"), Document: doc},
		{ARN: arn, Document: ""},
		{ARN: arn, Document: doc, Embedded: -1},
	} {
		_, err := s.PublishAWSPolicyVersion(ctx, bad)
		wantErr(t, "Publish(invalid)", err, store.ErrInvalid)
	}
}

// testRacePublish publishes from many goroutines at once: every version gets
// its own number and exactly one is the default.
func testRacePublish(t *testing.T, s store.Store) {
	arn := awsPolicy("job-function/ViewOnlyAccess")
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.PublishAWSPolicyVersion(ctx, store.AWSPolicyPublish{ARN: arn, Document: doc, Embedded: 45, SetDefault: true})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("racing Publish = %v, want success or ErrConflict", err)
		}
	}
	list, err := s.AWSPolicyVersions(ctx)
	wantErr(t, "AWSPolicyVersions", err, nil)
	seen, defaults := map[string]bool{}, 0
	for _, v := range list {
		if seen[v.ID] {
			t.Fatalf("version %s published twice", v.ID)
		}
		seen[v.ID] = true
		if v.IsDefault {
			defaults++
		}
	}
	if len(list) != ok || ok == 0 || defaults != 1 || !seen["v46"] {
		t.Fatalf("%d published, %d listed, %d defaults, v46 %v; want all listed from v46, one default", ok, len(list), defaults, seen["v46"])
	}
}

// testDeletionTasks checks the deletion tasks of service-linked roles: put,
// replace, read back per account, and delete with the account.
func testDeletionTasks(t *testing.T, s store.Store) {
	a, b := newAccount(t, s), newAccount(t, s)
	const id = "task/aws-service-role/mq.amazonaws.com/AWSServiceRoleForAmazonMQ/0b6f5c2e-8a4e-4c1e-9d35-5a8f6b1c2d3e"
	task := store.DeletionTask{AccountID: a, ID: id, Status: store.TaskInProgress}
	wantErr(t, "PutDeletionTask", s.PutDeletionTask(ctx, task), nil)
	got, err := s.DeletionTask(ctx, a, id)
	wantErr(t, "DeletionTask", err, nil)
	if got.Status != store.TaskInProgress || got.Reason != "" || got.Usage != nil {
		t.Fatalf("DeletionTask = %+v, want IN_PROGRESS, no reason", got)
	}
	task.Status, task.Reason = store.TaskFailed, "in use"
	task.Usage = []store.RoleUsage{{Region: "us-east-1", Resources: []string{arn.ARN{Partition: arn.PartitionAWS, Service: "mq", Region: "us-east-1", Account: a, Resource: "broker:b:b-1"}.String()}}}
	wantErr(t, "PutDeletionTask(replace)", s.PutDeletionTask(ctx, task), nil)
	got, err = s.DeletionTask(ctx, a, id)
	wantErr(t, "DeletionTask", err, nil)
	if got.Status != store.TaskFailed || got.Reason != "in use" || len(got.Usage) != 1 || got.Usage[0].Resources[0] != task.Usage[0].Resources[0] {
		t.Fatalf("DeletionTask after replacing = %+v, want %+v", got, task)
	}
	_, err = s.DeletionTask(ctx, b, id)
	wantErr(t, "DeletionTask of another account", err, store.ErrNotFound)
	wantErr(t, "PutDeletionTask(no status)", s.PutDeletionTask(ctx, store.DeletionTask{AccountID: a, ID: "x"}), store.ErrInvalid)
	wantErr(t, "DeleteAccount", s.DeleteAccount(ctx, a), nil)
	_, err = s.DeletionTask(ctx, a, id)
	wantErr(t, "DeletionTask after DeleteAccount", err, store.ErrNotFound)
}
