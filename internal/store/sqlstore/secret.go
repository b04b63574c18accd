package sqlstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/iamq/iamq/internal/store"
)

// Sealer encrypts and decrypts secrets with AES-256-GCM. The additional data
// binds a ciphertext to the row it belongs to (the access key id), so that a
// ciphertext copied to another row does not decrypt.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a Sealer for a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != store.KeySize {
		return nil, fmt.Errorf("store: the secret key is %d bytes, want %d", len(key), store.KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain; the result is nonce ‖ ciphertext ‖ tag.
func (s *Sealer) Seal(plain, ad []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return s.aead.Seal(nonce, nonce, plain, ad)
}

// Open decrypts what Seal returned.
func (s *Sealer) Open(sealed, ad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, store.ErrDecrypt
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, store.ErrDecrypt
	}
	return plain, nil
}

// LoadKey returns o.Key, or the key in o.KeyFile, creating that file (mode
// 0600, 32 random bytes) when it does not exist.
func LoadKey(o store.Options) ([]byte, error) {
	if o.Key != nil {
		if len(o.Key) != store.KeySize {
			return nil, fmt.Errorf("store: the secret key is %d bytes, want %d", len(o.Key), store.KeySize)
		}
		return o.Key, nil
	}
	if o.KeyFile == "" {
		return nil, errors.New("store: no secret key: set Options.Key or Options.KeyFile")
	}
	key, err := os.ReadFile(o.KeyFile)
	if errors.Is(err, fs.ErrNotExist) {
		return createKeyFile(o.KeyFile)
	}
	if err != nil {
		return nil, fmt.Errorf("store: key file: %w", err)
	}
	if len(key) != store.KeySize {
		return nil, fmt.Errorf("store: key file %s holds %d bytes, want %d", o.KeyFile, len(key), store.KeySize)
	}
	return key, nil
}

// createKeyFile writes a new random key with mode 0600. The key is written
// to a temporary file and hard-linked into place, so that two processes
// starting at once agree: the loser finds the winner's complete file.
func createKeyFile(path string) ([]byte, error) {
	key := make([]byte, store.KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: key file: %w", err)
	}
	f, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return nil, fmt.Errorf("store: key file: %w", err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(key)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("store: key file: %w", err)
	}
	// CreateTemp makes the file with mode 0600 already.
	if err := os.Link(f.Name(), path); errors.Is(err, fs.ErrExist) {
		return LoadKey(store.Options{KeyFile: path})
	} else if err != nil {
		return nil, fmt.Errorf("store: key file: %w", err)
	}
	return key, nil
}
