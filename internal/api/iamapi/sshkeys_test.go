package iamapi

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// credFile reads a certificate, key or SSH key of package iam's test
// corpora (internal/iam/testdata/pem and ssh), one copy for both packages.
func credFile(t *testing.T, name string) string {
	t.Helper()
	dir := "pem" // certificates and keys; SSH keys are under ssh
	if strings.HasSuffix(name, ".pub") || strings.HasSuffix(name, ".ssh2") {
		dir = "ssh"
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "iam", "testdata", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSSHPublicKeys(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("dev")}))
	up := must(f.c.UploadSSHPublicKey(ctx, &awsiam.UploadSSHPublicKeyInput{UserName: aws.String("dev"),
		SSHPublicKeyBody: aws.String(credFile(t, "rsa2048.pub"))})).SSHPublicKey
	if id := aws.ToString(up.SSHPublicKeyId); len(id) != 20 || !strings.HasPrefix(id, "APKA") ||
		aws.ToString(up.Fingerprint) != "1a:7a:0a:9f:8d:e5:d8:1e:88:f1:93:8a:df:9c:bd:be" ||
		up.Status != iamtypes.StatusTypeActive || up.UploadDate == nil || aws.ToString(up.UserName) != "dev" {
		t.Fatalf("UploadSSHPublicKey = %+v", up)
	}
	// The same key in the SSH2 form is the same key.
	_, err := f.c.UploadSSHPublicKey(ctx, &awsiam.UploadSSHPublicKeyInput{UserName: aws.String("dev"),
		SSHPublicKeyBody: aws.String(credFile(t, "rsa2048.ssh2"))})
	wantAPIError(t, "UploadSSHPublicKey(again, SSH2)", err, "DuplicateSSHPublicKey", "")
	refusals := []struct{ user, body, code string }{
		{"dev", credFile(t, "rsa1024-short.pub"), "InvalidPublicKey"},
		{"dev", credFile(t, "ed25519.pub"), "UnrecognizedPublicKeyEncoding"},
		{"dev", "not a key", "UnrecognizedPublicKeyEncoding"},
		{"dev", strings.Repeat("A", 16385), "ValidationError"},
		{"nobody", credFile(t, "rsa4096.pub"), "NoSuchEntity"},
	}
	for _, r := range refusals {
		_, err := f.c.UploadSSHPublicKey(ctx, &awsiam.UploadSSHPublicKeyInput{UserName: aws.String(r.user), SSHPublicKeyBody: aws.String(r.body)})
		wantAPIError(t, "UploadSSHPublicKey("+r.code+")", err, r.code, "")
	}
	id := up.SSHPublicKeyId
	for _, enc := range []iamtypes.EncodingType{iamtypes.EncodingTypeSsh, iamtypes.EncodingTypePem} {
		got := must(f.c.GetSSHPublicKey(ctx, &awsiam.GetSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyId: id, Encoding: enc})).SSHPublicKey
		body := aws.ToString(got.SSHPublicKeyBody)
		if enc == iamtypes.EncodingTypeSsh && !strings.HasPrefix(credFile(t, "rsa2048.pub"), body) ||
			enc == iamtypes.EncodingTypePem && !strings.HasPrefix(body, "-----BEGIN PUBLIC KEY-----") {
			t.Errorf("GetSSHPublicKey(%s) body = %q", enc, body)
		}
	}
	_, err = f.c.GetSSHPublicKey(ctx, &awsiam.GetSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyId: aws.String("APKAAAAAAAAAAAAAAAAA"), Encoding: iamtypes.EncodingTypeSsh})
	wantAPIError(t, "GetSSHPublicKey(unknown)", err, "NoSuchEntity", "The Public Key with id APKAAAAAAAAAAAAAAAAA cannot be found.")
	must(f.c.UpdateSSHPublicKey(ctx, &awsiam.UpdateSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyId: id, Status: iamtypes.StatusTypeInactive}))
	_, err = f.c.UpdateSSHPublicKey(ctx, &awsiam.UpdateSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyId: id, Status: "Paused"})
	wantAPIError(t, "UpdateSSHPublicKey(Paused)", err, "ValidationError", "")
	// Another user cannot reach dev's key by its id.
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("other")}))
	_, err = f.c.DeleteSSHPublicKey(ctx, &awsiam.DeleteSSHPublicKeyInput{UserName: aws.String("other"), SSHPublicKeyId: id})
	wantAPIError(t, "DeleteSSHPublicKey(other's)", err, "NoSuchEntity", "")
	list := must(f.c.ListSSHPublicKeys(ctx, &awsiam.ListSSHPublicKeysInput{UserName: aws.String("dev")}))
	if len(list.SSHPublicKeys) != 1 || list.SSHPublicKeys[0].Status != iamtypes.StatusTypeInactive || list.IsTruncated {
		t.Fatalf("ListSSHPublicKeys = %+v", list.SSHPublicKeys)
	}
	_, err = f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("dev")})
	wantAPIError(t, "DeleteUser(with a key)", err, "DeleteConflict", "Cannot delete entity, must delete SSH public keys first.")
	must(f.c.DeleteSSHPublicKey(ctx, &awsiam.DeleteSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyId: id}))
	must(f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("dev")}))
	_, err = f.c.ListSSHPublicKeys(ctx, &awsiam.ListSSHPublicKeysInput{UserName: aws.String("dev")})
	wantAPIError(t, "ListSSHPublicKeys(deleted user)", err, "NoSuchEntity", "")
	root := must(f.c.ListSSHPublicKeys(ctx, &awsiam.ListSSHPublicKeysInput{}))
	if len(root.SSHPublicKeys) != 0 {
		t.Fatalf("ListSSHPublicKeys(root) = %+v", root.SSHPublicKeys)
	}
}

func TestSSHPublicKeyQuota(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("dev")}))
	for _, name := range []string{"rsa2048.pub", "rsa4096.pub", "rsa2048-b.pub", "rsa2048-c.pub", "rsa2048-d.pub"} {
		must(f.c.UploadSSHPublicKey(ctx, &awsiam.UploadSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyBody: aws.String(credFile(t, name))}))
	}
	_, err := f.c.UploadSSHPublicKey(ctx, &awsiam.UploadSSHPublicKeyInput{UserName: aws.String("dev"), SSHPublicKeyBody: aws.String(credFile(t, "rsa2048-e.pub"))})
	wantAPIError(t, "UploadSSHPublicKey(6th)", err, "LimitExceeded", "Cannot exceed quota for SSHPublicKeysPerUser: 5")
	list := must(f.c.ListSSHPublicKeys(ctx, &awsiam.ListSSHPublicKeysInput{UserName: aws.String("dev"), MaxItems: aws.Int32(1)}))
	if len(list.SSHPublicKeys) != 1 || !list.IsTruncated {
		t.Fatalf("ListSSHPublicKeys(MaxItems 1) = %+v", list)
	}
	next := must(f.c.ListSSHPublicKeys(ctx, &awsiam.ListSSHPublicKeysInput{UserName: aws.String("dev"), Marker: list.Marker}))
	if len(next.SSHPublicKeys) != 4 || next.IsTruncated || aws.ToString(next.SSHPublicKeys[0].SSHPublicKeyId) == aws.ToString(list.SSHPublicKeys[0].SSHPublicKeyId) {
		t.Fatalf("ListSSHPublicKeys(page 2) = %+v", next)
	}
}
