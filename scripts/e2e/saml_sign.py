"""Makes the SAML material of scripts/e2e/federation.sh with a local key.

  saml_sign.py keys DIR ENTITY      writes DIR/saml.pem (an RSA key) and
                                    DIR/metadata.xml (its self-signed
                                    certificate in an EntityDescriptor)
  saml_sign.py assertion DIR ENTITY ROLE PROVIDER SUBJECT SESSION SECONDS
                                    prints a base64 SAML Response whose
                                    Assertion is signed (enveloped, exclusive
                                    C14N, RSA-SHA256)

The standard library has no exclusive XML canonicalization, so the
assertion is written already in canonical form (one namespace declaration
on the root, no empty-element tags, no white space between elements); its
canonical bytes are then the text itself. iamq verifies it with goxmldsig.
"""
import base64
import datetime
import hashlib
import os
import sys
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

DS = "http://www.w3.org/2000/09/xmldsig#"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


def keys(d, entity):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "iamq e2e idp")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    with open(os.path.join(d, "saml.pem"), "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with open(os.path.join(d, "saml.crt"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.DER))
    b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    with open(os.path.join(d, "metadata.xml"), "w") as f:
        f.write('<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID=%s>\n'
                '  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n'
                '    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="%s"><ds:X509Data><ds:X509Certificate>%s'
                '</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n'
                '  </md:IDPSSODescriptor>\n</md:EntityDescriptor>\n' % (quoteattr(entity), DS, b64))


def t(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def assertion(d, entity, role, provider, subject, session, seconds):
    now = datetime.datetime.now(datetime.timezone.utc)
    until = t(now + datetime.timedelta(seconds=seconds))
    body = ('<saml:Issuer>%s</saml:Issuer>'
            '<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">%s</saml:NameID>'
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            '<saml:SubjectConfirmationData NotOnOrAfter="%s" Recipient="https://signin.aws.amazon.com/saml"></saml:SubjectConfirmationData>'
            '</saml:SubjectConfirmation></saml:Subject>'
            '<saml:Conditions NotBefore="%s" NotOnOrAfter="%s"><saml:AudienceRestriction>'
            '<saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction></saml:Conditions>'
            '<saml:AttributeStatement>'
            '<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>%s,%s</saml:AttributeValue></saml:Attribute>'
            '<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>%s</saml:AttributeValue></saml:Attribute>'
            '</saml:AttributeStatement>') % (escape(entity), escape(subject), until, t(now - datetime.timedelta(minutes=1)), until,
                                             escape(role), escape(provider), escape(session))
    open_tag = '<saml:Assertion xmlns:saml="%s" ID="_e2e" IssueInstant="%s" Version="2.0">' % (SAML, t(now))
    digest = base64.b64encode(hashlib.sha256((open_tag + body + '</saml:Assertion>').encode()).digest()).decode()
    signed_info = ('<ds:SignedInfo xmlns:ds="%s">'
                   '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:CanonicalizationMethod>'
                   '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"></ds:SignatureMethod>'
                   '<ds:Reference URI="#_e2e"><ds:Transforms>'
                   '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></ds:Transform>'
                   '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:Transform></ds:Transforms>'
                   '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod>'
                   '<ds:DigestValue>%s</ds:DigestValue></ds:Reference></ds:SignedInfo>') % (DS, digest)
    with open(os.path.join(d, "saml.pem"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    with open(os.path.join(d, "saml.crt"), "rb") as f:
        cert = base64.b64encode(f.read()).decode()
    sig = base64.b64encode(key.sign(signed_info.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
    signature = ('<ds:Signature xmlns:ds="%s">%s<ds:SignatureValue>%s</ds:SignatureValue>'
                 '<ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>'
                 ) % (DS, signed_info.replace(' xmlns:ds="%s"' % DS, '', 1), sig, cert)
    issuer_end = body.index('</saml:Issuer>') + len('</saml:Issuer>')
    doc = ('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0">' + open_tag +
           body[:issuer_end] + signature + body[issuer_end:] + '</saml:Assertion></samlp:Response>')
    print(base64.b64encode(doc.encode()).decode())


if __name__ == "__main__":
    if sys.argv[1] == "keys":
        keys(sys.argv[2], sys.argv[3])
    else:
        assertion(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], int(sys.argv[8]))
