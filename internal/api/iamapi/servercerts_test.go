package iamapi

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iamq/iamq/internal/store"
)

func TestServerCertificates(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	body, chain, key := credFile(t, "leaf-rsa.pem"), credFile(t, "chain.pem"), credFile(t, "leaf-rsa.key")
	up := must(f.c.UploadServerCertificate(ctx, &awsiam.UploadServerCertificateInput{ServerCertificateName: aws.String("www"),
		Path: aws.String("/cloudfront/"), CertificateBody: aws.String(body), CertificateChain: aws.String(chain),
		PrivateKey: aws.String(key), Tags: []iamtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))
	m := up.ServerCertificateMetadata
	block, _ := pem.Decode([]byte(body))
	leaf := must(x509.ParseCertificate(block.Bytes))
	if id := aws.ToString(m.ServerCertificateId); len(id) != 21 || !strings.HasPrefix(id, "ASCA") ||
		aws.ToString(m.Arn) != "arn:aws:iam::"+idAccount+":server-certificate/cloudfront/www" ||
		m.Expiration == nil || !m.Expiration.Equal(leaf.NotAfter) || m.UploadDate == nil || len(up.Tags) != 1 {
		t.Fatalf("UploadServerCertificate = %+v, tags %+v", m, up.Tags)
	}
	ec := must(f.c.UploadServerCertificate(ctx, &awsiam.UploadServerCertificateInput{ServerCertificateName: aws.String("ec"),
		CertificateBody: aws.String(credFile(t, "leaf-ec.pem")), PrivateKey: aws.String(credFile(t, "leaf-ec.key"))}))
	if aws.ToString(ec.ServerCertificateMetadata.Path) != "/" || ec.Tags != nil {
		t.Errorf("UploadServerCertificate(ec) = %+v", ec.ServerCertificateMetadata)
	}
	refusals := []struct {
		name, body, chain, key, code, msg string
	}{
		{"www", body, "", key, "EntityAlreadyExists", ""},
		{"bad", body, "", credFile(t, "other-rsa.key"), "KeyPairMismatch", ""},
		{"bad", credFile(t, "leaf-rsa.key"), "", key, "MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format."},
		{"bad", body, credFile(t, "chain-reversed.pem"), key, "MalformedCertificate",
			"Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: -1"},
		{"bad", body, "", credFile(t, "leaf-rsa.encrypted.key"), "MalformedCertificate", ""},
		{"bad", body, "", strings.Repeat("k", 16385), "ValidationError", ""},
		{"bad name!", body, "", key, "ValidationError", ""},
	}
	for _, r := range refusals {
		in := &awsiam.UploadServerCertificateInput{ServerCertificateName: aws.String(r.name), CertificateBody: aws.String(r.body), PrivateKey: aws.String(r.key)}
		if r.chain != "" {
			in.CertificateChain = aws.String(r.chain)
		}
		_, err := f.c.UploadServerCertificate(ctx, in)
		wantAPIError(t, "UploadServerCertificate("+r.code+")", err, r.code, r.msg)
		if strings.Contains(fmt.Sprint(err), "PRIVATE KEY") {
			t.Fatalf("a refusal echoes the private key: %v", err)
		}
	}
	got := must(f.c.GetServerCertificate(ctx, &awsiam.GetServerCertificateInput{ServerCertificateName: aws.String("WWW")})).ServerCertificate
	if aws.ToString(got.CertificateBody) != body || aws.ToString(got.CertificateChain) != chain || len(got.Tags) != 1 ||
		aws.ToString(got.ServerCertificateMetadata.ServerCertificateName) != "www" {
		t.Fatalf("GetServerCertificate = %+v", got)
	}
	// Reads never return the private key (sqlite.TestSecretsAtRest: it is sealed at rest).
	_ = f.st.View(ctx, idAccount, func(tx store.Tx) error {
		c, err := tx.ServerCertificate("www")
		if err != nil || c.PrivateKey != "" {
			t.Errorf("store's ServerCertificate = %+v, %v", c, err)
		}
		return nil
	})
	page := must(f.c.ListServerCertificates(ctx, &awsiam.ListServerCertificatesInput{MaxItems: aws.Int32(1)}))
	if len(page.ServerCertificateMetadataList) != 1 || !page.IsTruncated ||
		aws.ToString(page.ServerCertificateMetadataList[0].ServerCertificateName) != "ec" {
		t.Fatalf("ListServerCertificates(1) = %+v", page)
	}
	page = must(f.c.ListServerCertificates(ctx, &awsiam.ListServerCertificatesInput{Marker: page.Marker}))
	if len(page.ServerCertificateMetadataList) != 1 || page.IsTruncated {
		t.Fatalf("ListServerCertificates(page 2) = %+v", page)
	}
	prefixed := must(f.c.ListServerCertificates(ctx, &awsiam.ListServerCertificatesInput{PathPrefix: aws.String("/cloudfront/")}))
	if len(prefixed.ServerCertificateMetadataList) != 1 {
		t.Fatalf("ListServerCertificates(/cloudfront/) = %+v", prefixed)
	}
	must(f.c.TagServerCertificate(ctx, &awsiam.TagServerCertificateInput{ServerCertificateName: aws.String("www"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("web")}}}))
	must(f.c.UntagServerCertificate(ctx, &awsiam.UntagServerCertificateInput{ServerCertificateName: aws.String("www"), TagKeys: []string{"env"}}))
	tags := must(f.c.ListServerCertificateTags(ctx, &awsiam.ListServerCertificateTagsInput{ServerCertificateName: aws.String("www")}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Fatalf("ListServerCertificateTags = %+v", tags.Tags)
	}
	_, err := f.c.TagServerCertificate(ctx, &awsiam.TagServerCertificateInput{ServerCertificateName: aws.String("none"),
		Tags: []iamtypes.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	wantAPIError(t, "TagServerCertificate(none)", err, "NoSuchEntity", "The Server Certificate with name none cannot be found.")
	_, err = f.c.UpdateServerCertificate(ctx, &awsiam.UpdateServerCertificateInput{ServerCertificateName: aws.String("www"), NewServerCertificateName: aws.String("EC")})
	wantAPIError(t, "UpdateServerCertificate(taken)", err, "EntityAlreadyExists", "")
	must(f.c.UpdateServerCertificate(ctx, &awsiam.UpdateServerCertificateInput{ServerCertificateName: aws.String("www"),
		NewServerCertificateName: aws.String("site"), NewPath: aws.String("/web/")}))
	moved := must(f.c.GetServerCertificate(ctx, &awsiam.GetServerCertificateInput{ServerCertificateName: aws.String("site")})).ServerCertificate
	if aws.ToString(moved.ServerCertificateMetadata.Arn) != "arn:aws:iam::"+idAccount+":server-certificate/web/site" {
		t.Errorf("after UpdateServerCertificate: %s", aws.ToString(moved.ServerCertificateMetadata.Arn))
	}
	sum := must(f.c.GetAccountSummary(ctx, &awsiam.GetAccountSummaryInput{})).SummaryMap
	if sum["ServerCertificates"] != 2 || sum["ServerCertificatesQuota"] != 20 {
		t.Errorf("GetAccountSummary = %v", sum)
	}
	must(f.c.DeleteServerCertificate(ctx, &awsiam.DeleteServerCertificateInput{ServerCertificateName: aws.String("site")}))
	_, err = f.c.GetServerCertificate(ctx, &awsiam.GetServerCertificateInput{ServerCertificateName: aws.String("site")})
	wantAPIError(t, "GetServerCertificate(deleted)", err, "NoSuchEntity", "The Server Certificate with name site cannot be found.")
	// A new certificate of the old name starts without the old tags.
	must(f.c.UploadServerCertificate(ctx, &awsiam.UploadServerCertificateInput{ServerCertificateName: aws.String("site"),
		CertificateBody: aws.String(body), PrivateKey: aws.String(key)}))
	if tags := must(f.c.ListServerCertificateTags(ctx, &awsiam.ListServerCertificateTagsInput{ServerCertificateName: aws.String("site")})); len(tags.Tags) != 0 {
		t.Errorf("tags of a new certificate: %+v", tags.Tags)
	}
}
