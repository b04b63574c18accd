package iamapi

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestCredentialsEnforced: the credential operations are authorized on the
// user they touch (its stored ARN) and server certificates on theirs, so a
// policy scoped to ${aws:username} manages the caller's own keys only, and
// one scoped to a certificate path reaches no other path.
func TestCredentialsEnforced(t *testing.T) {
	f := newEnforceFixture(t)
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("victim"), Path: aws.String("/team/")}))
	alice, _ := f.user("alice")
	f.putUserPolicy("alice", "own", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:UploadSSHPublicKey","iam:ListSSHPublicKeys","iam:CreateServiceSpecificCredential","iam:ListServiceSpecificCredentials"],
		 "Resource":"arn:aws:iam::`+idAccount+`:user/${aws:username}"},
		{"Effect":"Allow","Action":["iam:UploadServerCertificate","iam:GetServerCertificate","iam:UpdateServerCertificate"],
		 "Resource":"arn:aws:iam::`+idAccount+`:server-certificate/mine/*"}]}`)
	key := credFile(t, "rsa2048.pub")
	must(alice.UploadSSHPublicKey(f.ctx, &awsiam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(key)}))
	_, err := alice.UploadSSHPublicKey(f.ctx, &awsiam.UploadSSHPublicKeyInput{UserName: aws.String("victim"), SSHPublicKeyBody: aws.String(key)})
	wantDenied(t, "UploadSSHPublicKey(victim)", err, "User: arn:aws:iam::"+idAccount+":user/alice is not authorized to perform: iam:UploadSSHPublicKey on resource: arn:aws:iam::"+idAccount+":user/team/victim because no identity-based policy allows the iam:UploadSSHPublicKey action")
	if l := must(alice.ListSSHPublicKeys(f.ctx, &awsiam.ListSSHPublicKeysInput{})); len(l.SSHPublicKeys) != 1 {
		t.Errorf("ListSSHPublicKeys(own) = %+v", l.SSHPublicKeys)
	}
	_, err = alice.ListServiceSpecificCredentials(f.ctx, &awsiam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true)})
	wantDenied(t, "ListServiceSpecificCredentials(AllUsers)", err, "User: arn:aws:iam::"+idAccount+":user/alice is not authorized to perform: iam:ListServiceSpecificCredentials on resource: arn:aws:iam::"+idAccount+":user/* because no identity-based policy allows the iam:ListServiceSpecificCredentials action")
	_, err = alice.CreateServiceSpecificCredential(f.ctx, &awsiam.CreateServiceSpecificCredentialInput{UserName: aws.String("victim"), ServiceName: aws.String("codecommit.amazonaws.com")})
	wantAPIError(t, "CreateServiceSpecificCredential(victim)", err, "AccessDenied", "")
	// iam:ServiceSpecificCredentialServiceName: bob may make CodeCommit
	// credentials only, and manage only those.
	bob, _ := f.user("bob")
	f.putUserPolicy("bob", "git", allow("iam:*ServiceSpecificCredential", `{"StringEquals":{"iam:ServiceSpecificCredentialServiceName":"codecommit.amazonaws.com"}}`))
	git := must(bob.CreateServiceSpecificCredential(f.ctx, &awsiam.CreateServiceSpecificCredentialInput{UserName: aws.String("bob"), ServiceName: aws.String("codecommit.amazonaws.com")}))
	_, err = bob.CreateServiceSpecificCredential(f.ctx, &awsiam.CreateServiceSpecificCredentialInput{UserName: aws.String("bob"), ServiceName: aws.String("cassandra.amazonaws.com")})
	wantAPIError(t, "CreateServiceSpecificCredential(cassandra)", err, "AccessDenied", "")
	ks := must(f.c.CreateServiceSpecificCredential(f.ctx, &awsiam.CreateServiceSpecificCredentialInput{UserName: aws.String("bob"), ServiceName: aws.String("cassandra.amazonaws.com")}))
	_, err = bob.ResetServiceSpecificCredential(f.ctx, &awsiam.ResetServiceSpecificCredentialInput{UserName: aws.String("bob"), ServiceSpecificCredentialId: ks.ServiceSpecificCredential.ServiceSpecificCredentialId})
	wantAPIError(t, "ResetServiceSpecificCredential(cassandra)", err, "AccessDenied", "")
	must(bob.ResetServiceSpecificCredential(f.ctx, &awsiam.ResetServiceSpecificCredentialInput{UserName: aws.String("bob"), ServiceSpecificCredentialId: git.ServiceSpecificCredential.ServiceSpecificCredentialId}))
	body, pk := credFile(t, "leaf-rsa.pem"), credFile(t, "leaf-rsa.key")
	must(alice.UploadServerCertificate(f.ctx, &awsiam.UploadServerCertificateInput{ServerCertificateName: aws.String("a"),
		Path: aws.String("/mine/"), CertificateBody: aws.String(body), PrivateKey: aws.String(pk)}))
	_, err = alice.UploadServerCertificate(f.ctx, &awsiam.UploadServerCertificateInput{ServerCertificateName: aws.String("b"),
		CertificateBody: aws.String(body), PrivateKey: aws.String(pk)})
	wantAPIError(t, "UploadServerCertificate(/)", err, "AccessDenied", "")
	// A rename must be allowed on the new ARN too: out of /mine/ it is not.
	_, err = alice.UpdateServerCertificate(f.ctx, &awsiam.UpdateServerCertificateInput{ServerCertificateName: aws.String("a"), NewPath: aws.String("/public/")})
	wantDenied(t, "UpdateServerCertificate(out of /mine/)", err, "User: arn:aws:iam::"+idAccount+":user/alice is not authorized to perform: iam:UpdateServerCertificate on resource: arn:aws:iam::"+idAccount+":server-certificate/public/a because no identity-based policy allows the iam:UpdateServerCertificate action")
	must(alice.UpdateServerCertificate(f.ctx, &awsiam.UpdateServerCertificateInput{ServerCertificateName: aws.String("a"), NewServerCertificateName: aws.String("b")}))
	// The root's certificate at / is out of alice's reach, whatever name she gives.
	must(f.c.UploadServerCertificate(f.ctx, &awsiam.UploadServerCertificateInput{ServerCertificateName: aws.String("root-cert"),
		CertificateBody: aws.String(body), PrivateKey: aws.String(pk)}))
	_, err = alice.GetServerCertificate(f.ctx, &awsiam.GetServerCertificateInput{ServerCertificateName: aws.String("ROOT-CERT")})
	wantDenied(t, "GetServerCertificate(root's)", err, "User: arn:aws:iam::"+idAccount+":user/alice is not authorized to perform: iam:GetServerCertificate on resource: arn:aws:iam::"+idAccount+":server-certificate/root-cert because no identity-based policy allows the iam:GetServerCertificate action")
}
