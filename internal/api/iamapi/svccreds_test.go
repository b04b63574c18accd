package iamapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestServiceSpecificCredentials(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("jane")}))
	cc := must(f.c.CreateServiceSpecificCredential(ctx, &awsiam.CreateServiceSpecificCredentialInput{UserName: aws.String("jane"),
		ServiceName: aws.String("codecommit.amazonaws.com")})).ServiceSpecificCredential
	if id := aws.ToString(cc.ServiceSpecificCredentialId); len(id) != 21 || !strings.HasPrefix(id, "ACCA") ||
		aws.ToString(cc.ServiceUserName) != "jane-at-"+idAccount || len(aws.ToString(cc.ServicePassword)) != 44 ||
		cc.Status != iamtypes.StatusTypeActive || cc.ExpirationDate != nil || cc.ServiceCredentialSecret != nil {
		t.Fatalf("CreateServiceSpecificCredential(codecommit) = %+v", cc)
	}
	key := must(f.c.CreateServiceSpecificCredential(ctx, &awsiam.CreateServiceSpecificCredentialInput{UserName: aws.String("jane"),
		ServiceName: aws.String("bedrock.amazonaws.com"), CredentialAgeDays: aws.Int32(30)})).ServiceSpecificCredential
	if key.ServiceCredentialAlias == nil || len(aws.ToString(key.ServiceCredentialSecret)) != 44 || key.ServicePassword != nil ||
		key.ExpirationDate == nil || key.ExpirationDate.Sub(*key.CreateDate) != 30*24*time.Hour {
		t.Fatalf("CreateServiceSpecificCredential(bedrock) = %+v", key)
	}
	must(f.c.CreateServiceSpecificCredential(ctx, &awsiam.CreateServiceSpecificCredentialInput{UserName: aws.String("jane"), ServiceName: aws.String("codecommit.amazonaws.com")}))
	refusals := []struct {
		user, service string
		days          int32
		code          string
	}{
		{"jane", "codecommit.amazonaws.com", 0, "LimitExceeded"},
		{"jane", "s3.amazonaws.com", 0, "NotSupportedService"},
		{"jane", "cassandra.amazonaws.com", 5, "InvalidInput"},
		{"jane", "logs.amazonaws.com", 36601, "ValidationError"},
		{"nobody", "cassandra.amazonaws.com", 0, "NoSuchEntity"},
	}
	for _, r := range refusals {
		in := &awsiam.CreateServiceSpecificCredentialInput{UserName: aws.String(r.user), ServiceName: aws.String(r.service)}
		if r.days != 0 {
			in.CredentialAgeDays = aws.Int32(r.days)
		}
		_, err := f.c.CreateServiceSpecificCredential(ctx, in)
		wantAPIError(t, "CreateServiceSpecificCredential("+r.code+")", err, r.code, "")
	}
	list := must(f.c.ListServiceSpecificCredentials(ctx, &awsiam.ListServiceSpecificCredentialsInput{UserName: aws.String("jane"),
		ServiceName: aws.String("codecommit.amazonaws.com")}))
	if len(list.ServiceSpecificCredentials) != 2 || aws.ToString(list.ServiceSpecificCredentials[0].ServiceUserName) != "jane-at-"+idAccount {
		t.Fatalf("ListServiceSpecificCredentials(codecommit) = %+v", list.ServiceSpecificCredentials)
	}
	all := must(f.c.ListServiceSpecificCredentials(ctx, &awsiam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true)}))
	if len(all.ServiceSpecificCredentials) != 3 {
		t.Fatalf("ListServiceSpecificCredentials(AllUsers) = %d", len(all.ServiceSpecificCredentials))
	}
	_, err := f.c.ListServiceSpecificCredentials(ctx, &awsiam.ListServiceSpecificCredentialsInput{ServiceName: aws.String("ec2.amazonaws.com"), UserName: aws.String("jane")})
	wantAPIError(t, "ListServiceSpecificCredentials(ec2)", err, "NotSupportedService", "")
	reset := must(f.c.ResetServiceSpecificCredential(ctx, &awsiam.ResetServiceSpecificCredentialInput{UserName: aws.String("jane"),
		ServiceSpecificCredentialId: cc.ServiceSpecificCredentialId})).ServiceSpecificCredential
	if pw := aws.ToString(reset.ServicePassword); len(pw) != 44 || pw == aws.ToString(cc.ServicePassword) {
		t.Fatalf("ResetServiceSpecificCredential = %+v", reset)
	}
	must(f.c.UpdateServiceSpecificCredential(ctx, &awsiam.UpdateServiceSpecificCredentialInput{UserName: aws.String("jane"),
		ServiceSpecificCredentialId: cc.ServiceSpecificCredentialId, Status: iamtypes.StatusTypeInactive}))
	_, err = f.c.UpdateServiceSpecificCredential(ctx, &awsiam.UpdateServiceSpecificCredentialInput{UserName: aws.String("jane"),
		ServiceSpecificCredentialId: aws.String("ACCAAAAAAAAAAAAAAAAAA"), Status: iamtypes.StatusTypeInactive})
	wantAPIError(t, "UpdateServiceSpecificCredential(unknown)", err, "NoSuchEntity", "No such credential ACCAAAAAAAAAAAAAAAAAA exists")
	_, err = f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("jane")})
	wantAPIError(t, "DeleteUser(with credentials)", err, "DeleteConflict", "Cannot delete entity, must delete service-specific credentials first.")
	for _, c := range all.ServiceSpecificCredentials {
		must(f.c.DeleteServiceSpecificCredential(ctx, &awsiam.DeleteServiceSpecificCredentialInput{UserName: aws.String("jane"),
			ServiceSpecificCredentialId: c.ServiceSpecificCredentialId}))
	}
	_, err = f.c.DeleteServiceSpecificCredential(ctx, &awsiam.DeleteServiceSpecificCredentialInput{UserName: aws.String("jane"),
		ServiceSpecificCredentialId: cc.ServiceSpecificCredentialId})
	wantAPIError(t, "DeleteServiceSpecificCredential(again)", err, "NoSuchEntity", "")
	must(f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("jane")}))
}
