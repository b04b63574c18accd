package iamapi

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestSigningCertificates(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("svc")}))
	up := must(f.c.UploadSigningCertificate(ctx, &awsiam.UploadSigningCertificateInput{UserName: aws.String("svc"),
		CertificateBody: aws.String(credFile(t, "leaf-rsa.pem"))})).Certificate
	if id := aws.ToString(up.CertificateId); len(id) != 24 || aws.ToString(up.UserName) != "svc" ||
		up.Status != iamtypes.StatusTypeActive || aws.ToString(up.CertificateBody) != credFile(t, "leaf-rsa.pem") {
		t.Fatalf("UploadSigningCertificate = %+v", up)
	}
	refusals := []struct{ user, body, code, msg string }{
		{"svc", credFile(t, "leaf-rsa.pem"), "DuplicateCertificate", ""},
		{"svc", credFile(t, "leaf-rsa.key"), "MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format."},
		{"svc", credFile(t, "two-certs.pem"), "MalformedCertificate", ""},
		{"svc", credFile(t, "leaf-ec.pem"), "InvalidCertificate", ""},
		{"svc", strings.Repeat("x", 16385), "ValidationError", ""},
		{"nobody", credFile(t, "other-rsa.pem"), "NoSuchEntity", ""},
	}
	for _, r := range refusals {
		_, err := f.c.UploadSigningCertificate(ctx, &awsiam.UploadSigningCertificateInput{UserName: aws.String(r.user), CertificateBody: aws.String(r.body)})
		wantAPIError(t, "UploadSigningCertificate("+r.code+")", err, r.code, r.msg)
	}
	// The root holds its own: UserName omitted.
	root := must(f.c.UploadSigningCertificate(ctx, &awsiam.UploadSigningCertificateInput{CertificateBody: aws.String(credFile(t, "other-rsa.pem"))})).Certificate
	if root.UserName != nil {
		t.Errorf("root's certificate names user %q", aws.ToString(root.UserName))
	}
	sum := must(f.c.GetAccountSummary(ctx, &awsiam.GetAccountSummaryInput{})).SummaryMap
	if sum["AccountSigningCertificatesPresent"] != 1 || sum["SigningCertificatesPerUserQuota"] != 2 {
		t.Errorf("GetAccountSummary = %v", sum)
	}
	list := must(f.c.ListSigningCertificates(ctx, &awsiam.ListSigningCertificatesInput{UserName: aws.String("svc")}))
	if len(list.Certificates) != 1 || aws.ToString(list.Certificates[0].CertificateId) != aws.ToString(up.CertificateId) {
		t.Fatalf("ListSigningCertificates(svc) = %+v", list.Certificates)
	}
	rootList := must(f.c.ListSigningCertificates(ctx, &awsiam.ListSigningCertificatesInput{}))
	if len(rootList.Certificates) != 1 || aws.ToString(rootList.Certificates[0].CertificateId) != aws.ToString(root.CertificateId) {
		t.Fatalf("ListSigningCertificates(root) = %+v", rootList.Certificates)
	}
	// The root's certificate is not svc's.
	_, err := f.c.UpdateSigningCertificate(ctx, &awsiam.UpdateSigningCertificateInput{UserName: aws.String("svc"), CertificateId: root.CertificateId, Status: iamtypes.StatusTypeInactive})
	wantAPIError(t, "UpdateSigningCertificate(root's as svc)", err, "NoSuchEntity", "The Certificate with id "+aws.ToString(root.CertificateId)+" cannot be found.")
	must(f.c.UpdateSigningCertificate(ctx, &awsiam.UpdateSigningCertificateInput{UserName: aws.String("svc"), CertificateId: up.CertificateId, Status: iamtypes.StatusTypeInactive}))
	_, err = f.c.UpdateSigningCertificate(ctx, &awsiam.UpdateSigningCertificateInput{UserName: aws.String("svc"), CertificateId: aws.String("short"), Status: iamtypes.StatusTypeInactive})
	wantAPIError(t, "UpdateSigningCertificate(short id)", err, "ValidationError", "")
	_, err = f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("svc")})
	wantAPIError(t, "DeleteUser(with a certificate)", err, "DeleteConflict", "Cannot delete entity, must delete signing certificates first.")
	must(f.c.DeleteSigningCertificate(ctx, &awsiam.DeleteSigningCertificateInput{UserName: aws.String("svc"), CertificateId: up.CertificateId}))
	_, err = f.c.DeleteSigningCertificate(ctx, &awsiam.DeleteSigningCertificateInput{UserName: aws.String("svc"), CertificateId: up.CertificateId})
	wantAPIError(t, "DeleteSigningCertificate(again)", err, "NoSuchEntity", "")
	must(f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("svc")}))
	// Two per owner: the root's second is accepted, a third refused.
	must(f.c.UploadSigningCertificate(ctx, &awsiam.UploadSigningCertificateInput{CertificateBody: aws.String(credFile(t, "leaf-rsa.pem"))}))
	_, err = f.c.UploadSigningCertificate(ctx, &awsiam.UploadSigningCertificateInput{CertificateBody: aws.String(credFile(t, "chain.pem")[:strings.Index(credFile(t, "chain.pem"), "-----END CERTIFICATE-----")+26])})
	wantAPIError(t, "UploadSigningCertificate(3rd)", err, "LimitExceeded", "Cannot exceed quota for SigningCertificatesPerUser: 2")
}
