package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

func testCredentials(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	root := store.EntityRef{Kind: store.KindAccount}
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "u"}); err != nil {
			return err
		}
		for i := range store.MaxSSHKeys {
			c, err := tx.CreateCredential(store.Credential{Kind: store.CredSSHKey, Owner: user("U"), Body: "k", Fingerprint: fmt.Sprint("fp", i)})
			wantErr(t, "CreateCredential(ssh)", err, nil)
			if len(c.ID) != 20 || c.ID[:4] != "APKA" || c.Status != store.KeyActive || c.Owner.Name != "u" {
				t.Fatalf("CreateCredential(ssh) = %+v", c)
			}
		}
		_, err := tx.CreateCredential(store.Credential{Kind: store.CredSSHKey, Owner: user("u"), Fingerprint: "fpX"})
		wantMessage(t, "CreateCredential(6th ssh)", err, "Cannot exceed quota for SSHPublicKeysPerUser: 5")
		_, err = tx.CreateCredential(store.Credential{Kind: store.CredSSHKey, Owner: root, Fingerprint: "fpY"})
		wantErr(t, "CreateCredential(root ssh)", err, store.ErrInvalid)
		_, err = tx.CreateCredential(store.Credential{Kind: store.CredSigningCert, Owner: root, Fingerprint: "c1"})
		wantErr(t, "CreateCredential(root cert)", err, nil)
		_, err = tx.CreateCredential(store.Credential{Kind: store.CredSigningCert, Owner: user("u"), Fingerprint: "c1"})
		wantErr(t, "CreateCredential(same cert)", err, store.ErrAlreadyExists)
		for _, svc := range []string{"a", "a", "b"} {
			_, err = tx.CreateCredential(store.Credential{Kind: store.CredService, Owner: user("u"), Service: svc, Secret: "pw"})
			wantErr(t, "CreateCredential(service)", err, nil)
		}
		_, err = tx.CreateCredential(store.Credential{Kind: store.CredService, Owner: user("u"), Service: "a"})
		wantErr(t, "CreateCredential(3rd of a)", err, store.ErrLimitExceeded)
		_, err = tx.CreateCredential(store.Credential{Kind: store.CredService, Owner: user("nobody"), Service: "a"})
		wantErr(t, "CreateCredential(nobody)", err, store.ErrNotFound)
		return nil
	})
	view(t, s, a, func(tx store.Tx) error {
		keys, err := tx.Credentials(store.CredSSHKey, user("u"), "")
		wantErr(t, "Credentials(ssh)", err, nil)
		if len(keys) != store.MaxSSHKeys || keys[0].Fingerprint != "fp0" || keys[0].Body != "k" {
			t.Fatalf("Credentials(ssh) = %+v", keys)
		}
		svc, err := tx.Credentials(store.CredService, store.EntityRef{}, "a")
		if err != nil || len(svc) != 2 || svc[0].Secret != "" || svc[0].Owner.Name != "u" {
			t.Fatalf("Credentials(service a, all users) = %+v, %v", svc, err)
		}
		one, err := tx.Credential(store.CredSSHKey, keys[1].ID)
		if err != nil || one.Fingerprint != "fp1" || one.Owner.Name != "u" || one.Owner.Kind != store.KindUser {
			t.Fatalf("Credential = %+v, %v", one, err)
		}
		_, err = tx.Credential(store.CredService, keys[1].ID)
		wantErr(t, "Credential(wrong kind)", err, store.ErrNotFound)
		certs, err := tx.Credentials(store.CredSigningCert, store.EntityRef{Kind: store.KindUser, Name: "u"}, "")
		if err != nil || len(certs) != 0 {
			t.Fatalf("Credentials(signing-cert, u) = %+v, %v", certs, err)
		}
		sum, err := tx.Summary()
		if err != nil || sum.SigningCertificatesPresent != 1 {
			t.Fatalf("Summary = %+v, %v", sum, err)
		}
		return nil
	})
	var id string
	update(t, s, a, func(tx store.Tx) error {
		keys, _ := tx.Credentials(store.CredSSHKey, user("u"), "")
		id = keys[0].ID
		wantErr(t, "UpdateCredential", tx.UpdateCredential(store.CredSSHKey, id, store.KeyInactive), nil)
		wantErr(t, "UpdateCredential(bad)", tx.UpdateCredential(store.CredSSHKey, id, "Paused"), store.ErrInvalid)
		wantErr(t, "UpdateCredential(wrong kind)", tx.UpdateCredential(store.CredService, id, store.KeyActive), store.ErrNotFound)
		wantErr(t, "ResetCredential", tx.ResetCredential(store.CredSSHKey, id, "new"), nil)
		err := tx.DeleteUser("u")
		wantErr(t, "DeleteUser(with keys)", err, store.ErrDeleteConflict)
		return nil
	})
	update(t, s, a, func(tx store.Tx) error {
		keys, _ := tx.Credentials(store.CredSSHKey, user("u"), "")
		if keys[0].Status != store.KeyInactive {
			t.Errorf("after UpdateCredential: %+v", keys[0])
		}
		for _, kind := range []store.CredentialKind{store.CredSSHKey, store.CredService} {
			cs, _ := tx.Credentials(kind, user("u"), "")
			for _, c := range cs {
				wantErr(t, "DeleteCredential", tx.DeleteCredential(kind, c.ID), nil)
			}
		}
		wantErr(t, "DeleteCredential(again)", tx.DeleteCredential(store.CredSSHKey, id), store.ErrNotFound)
		wantErr(t, "DeleteUser", tx.DeleteUser("u"), nil)
		return nil
	})
}

func testServerCertificates(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	update(t, s, a, func(tx store.Tx) error {
		c, err := tx.CreateServerCertificate(store.ServerCertificate{Name: "Web", Path: "/p/", Body: "B", Chain: "C",
			PrivateKey: "K", Expires: exp, Tags: []store.Tag{{Key: "k", Value: "v"}}})
		wantErr(t, "CreateServerCertificate", err, nil)
		if len(c.ID) != 21 || c.ID[:4] != "ASCA" || c.Uploaded.IsZero() {
			t.Fatalf("CreateServerCertificate = %+v", c)
		}
		_, err = tx.CreateServerCertificate(store.ServerCertificate{Name: "web", Body: "B", PrivateKey: "K"})
		wantErr(t, "CreateServerCertificate(same name)", err, store.ErrAlreadyExists)
		for i := 1; i < store.MaxServerCertificates; i++ {
			_, err = tx.CreateServerCertificate(store.ServerCertificate{Name: fmt.Sprint("c", i), Body: "B", PrivateKey: "K"})
			wantErr(t, "CreateServerCertificate", err, nil)
		}
		_, err = tx.CreateServerCertificate(store.ServerCertificate{Name: "over", Body: "B", PrivateKey: "K"})
		wantMessage(t, "CreateServerCertificate(21st)", err, "Cannot exceed quota for ServerCertificatesPerAccount: 20")
		return nil
	})
	update(t, s, a, func(tx store.Tx) error {
		c, err := tx.ServerCertificate("WEB")
		wantErr(t, "ServerCertificate", err, nil)
		if c.Body != "B" || c.Chain != "C" || c.PrivateKey != "" || !c.Expires.Equal(exp) || len(c.Tags) != 1 || c.Path != "/p/" {
			t.Fatalf("ServerCertificate = %+v", c)
		}
		p, err := tx.ServerCertificates(store.ListOptions{PathPrefix: "/p/"})
		if err != nil || len(p.Items) != 1 || p.Items[0].Name != "Web" || p.Items[0].Body != "" {
			t.Fatalf("ServerCertificates(/p/) = %+v, %v", p, err)
		}
		p, err = tx.ServerCertificates(store.ListOptions{MaxItems: 15})
		if err != nil || len(p.Items) != 15 || !p.Truncated() {
			t.Fatalf("ServerCertificates(15) = %d, %v", len(p.Items), err)
		}
		wantErr(t, "UpdateServerCertificate(taken)", tx.UpdateServerCertificate("web", store.ServerCertificate{Name: "c1"}), store.ErrAlreadyExists)
		wantErr(t, "UpdateServerCertificate", tx.UpdateServerCertificate("web", store.ServerCertificate{Name: "Site", Path: "/q/"}), nil)
		wantErr(t, "TagEntity", tx.TagEntity(store.EntityRef{Kind: store.KindServerCertificate, Name: "site"}, []store.Tag{{Key: "b", Value: ""}}), nil)
		c, err = tx.ServerCertificate("site")
		if err != nil || c.Path != "/q/" || len(c.Tags) != 2 {
			t.Fatalf("after update: %+v, %v", c, err)
		}
		wantErr(t, "DeleteServerCertificate", tx.DeleteServerCertificate("site"), nil)
		wantErr(t, "DeleteServerCertificate(again)", tx.DeleteServerCertificate("site"), store.ErrNotFound)
		sum, err := tx.Summary()
		if err != nil || sum.ServerCertificates != store.MaxServerCertificates-1 {
			t.Fatalf("Summary = %+v, %v", sum, err)
		}
		return nil
	})
}

// testRaceCredentials: 12 writers upload SSH keys for one user and 30 upload
// server certificates at once; exactly the quotas (5 and 20) win.
func testRaceCredentials(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error { _, err := tx.CreateUser(store.User{Name: "u"}); return err })
	ok, limited := race(t, 12, func(i int) error {
		return s.Update(ctx, a, func(tx store.Tx) error {
			_, err := tx.CreateCredential(store.Credential{Kind: store.CredSSHKey, Owner: user("u"), Fingerprint: fmt.Sprint("fp", i)})
			return err
		})
	})
	if ok != store.MaxSSHKeys || limited != 12-store.MaxSSHKeys {
		t.Fatalf("SSH key race: %d succeeded, %d LimitExceeded", ok, limited)
	}
	ok, limited = race(t, 30, func(i int) error {
		return s.Update(ctx, a, func(tx store.Tx) error {
			_, err := tx.CreateServerCertificate(store.ServerCertificate{Name: fmt.Sprint("c", i), Body: "B", PrivateKey: "K"})
			return err
		})
	})
	if ok != store.MaxServerCertificates || limited != 30-store.MaxServerCertificates {
		t.Fatalf("server certificate race: %d succeeded, %d LimitExceeded", ok, limited)
	}
}
