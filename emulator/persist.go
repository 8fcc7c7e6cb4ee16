package emulator

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kvquota/kvquota/emulator/store"
)

// Persistence (Config.DataDir, `kvquota emulate --data DIR`) keeps the vault's
// objects across restarts: every secret version with its value, attributes,
// tags and content type, soft-deleted secrets, and keys with every version,
// their private material, their rotation policies, and soft-deleted keys
// with their deletion and purge dates, so a key made before a restart still
// signs, verifies and decrypts after it, and still rotates on schedule. The
// backup key is kept too, so a backup blob made before a restart restores
// after it. It is one JSON file, DIR/StateFile, mode 0600 (it holds secret
// values and private keys).
//
// When it writes: never on the request path. A request on a route declared to
// change state (routeSets), or a rotation that fell due, marks the state
// dirty; a flush goroutine writes a full snapshot at most every
// FlushDelay while dirty, and Close always writes a last one. A load test
// does thousands of PUTs a second, and a full snapshot of a store of 100,000
// secret versions (27 MB) took 0.53 s to encode, write and fsync on this
// project's 2-core machine (go test -run - -bench PersistWrite -benchtime 1x
// ./emulator/), so a snapshot per write would throttle the emulator more than
// its quota does; with the debounce a crash (not a Ctrl-C) loses at most the
// last FlushDelay of changes, and the writer costs at most about half a core
// on such a store.
//
// How it writes: a temporary file in DIR, fsynced, renamed over StateFile,
// then DIR fsynced. A crash mid-write leaves the previous StateFile whole and
// at worst a temporary file behind, which the next start removes. A
// StateFile that does not parse (truncated, corrupt, or of a newer format) is
// an error naming it at start, never a silently empty vault: only something
// other than the emulator can have damaged it, and the user decides.
//
// One emulator per directory: two would overwrite each other's snapshots.
//
// Quota state is not kept: quota windows are ten seconds long, and a
// restarted emulator is a fresh measurement, so carrying buckets across a
// restart would only make the first window of the next run depend on how
// long ago the last one stopped.

// StateFile is the name of the state file in Config.DataDir.
const StateFile = "vault-state.json"

// FlushDelay bounds how long a change waits before it is written.
const FlushDelay = time.Second

// stateFormat and stateVersion identify the file; a newer version is refused.
// Version 2 added the key lifecycle (deleted keys' dates, rotation policies,
// key attributes nbf/exp/exportable) and the backup key; version 1 files
// load as they are.
const (
	stateFormat  = "kvquota-emulator-state"
	stateVersion = 2
	tempPrefix   = "." + StateFile + ".tmp-"
)

// stateDoc is the file's content.
type stateDoc struct {
	Format  string             `json:"format"`
	Version int                `json:"version"`
	Saved   time.Time          `json:"saved"`
	Secrets store.SecretsState `json:"secrets"`
	Keys    store.KeysState    `json:"keys"`
	// BackupKey seals backup blobs, so that a blob made before a restart
	// restores after it.
	BackupKey []byte `json:"backupKey,omitempty"`
	// Certificates holds the certificates (versions, policies, pending
	// operations, deleted ones), contacts, issuers and the backup seal key;
	// their keys and secrets are in Keys and Secrets.
	Certificates store.CertsState `json:"certificates"`
}

// persister writes a vault's state to its data directory.
type persister struct {
	v     *Vault
	path  string
	dirty atomic.Bool
	wake  chan struct{}
	stop  chan struct{}
	done  chan struct{}

	mu       sync.Mutex // serializes writes
	closeErr error
	once     sync.Once
}

// openPersistence loads the state in cfg.DataDir into v (nothing to load on a
// first start) and starts the flush goroutine.
func openPersistence(v *Vault) (*persister, error) {
	dir := v.cfg.DataDir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("emulator data directory: %w", err)
	}
	p := &persister{v: v, path: filepath.Join(dir, StateFile), wake: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	// Temporary files are writes that never finished; StateFile is whole.
	if olds, _ := filepath.Glob(filepath.Join(dir, tempPrefix+"*")); len(olds) > 0 {
		for _, f := range olds {
			_ = os.Remove(f)
		}
	}
	if err := p.load(); err != nil {
		return nil, err
	}
	go p.loop()
	return p, nil
}

// load reads StateFile into the vault's stores.
func (p *persister) load() error {
	b, err := os.ReadFile(p.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("emulator state %s: %w", p.path, err)
	}
	st, err := decodeState(b)
	if err != nil {
		return fmt.Errorf("emulator state %s: %w", p.path, err)
	}
	if err := p.v.secrets.Restore(st.Secrets); err != nil {
		return fmt.Errorf("emulator state %s: %w", p.path, err)
	}
	if err := p.v.keys.Restore(st.Keys, decodeMaterial); err != nil {
		return fmt.Errorf("emulator state %s: %w", p.path, err)
	}
	if len(st.BackupKey) == 32 {
		p.v.backupKey = st.BackupKey
	}
	if err := p.v.certs.Restore(st.Certificates); err != nil {
		return fmt.Errorf("emulator state %s: %w", p.path, err)
	}
	return nil
}

// decodeState parses and checks a state file's bytes.
func decodeState(b []byte) (stateDoc, error) {
	var st stateDoc
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return st, fmt.Errorf("file is truncated or empty (%d bytes): %w", len(b), err)
		}
		// A newer format may have fields this one does not know: say so
		// rather than naming the field.
		var head struct {
			Format  string `json:"format"`
			Version int    `json:"version"`
		}
		if json.Unmarshal(b, &head) == nil && head.Format == stateFormat && head.Version > stateVersion {
			return st, fmt.Errorf("format version %d is newer than this kvquota reads (%d)", head.Version, stateVersion)
		}
		return st, fmt.Errorf("not a valid state file (corrupt or cut short): %w", err)
	}
	if dec.More() {
		return st, errors.New("not a valid state file: data after the state")
	}
	switch {
	case st.Format != stateFormat:
		return st, fmt.Errorf("not a kvquota emulator state file (format %q)", st.Format)
	case st.Version > stateVersion:
		return st, fmt.Errorf("format version %d is newer than this kvquota reads (%d)", st.Version, stateVersion)
	case st.Version < 1:
		return st, fmt.Errorf("format version %d is not valid", st.Version)
	}
	return st, nil
}

// changed notes that a request may have changed the stores. Nil-safe: a
// vault without DataDir has no persister.
func (p *persister) changed() {
	if p == nil {
		return
	}
	if !p.dirty.Swap(true) {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
}

// mutates reports whether a request on rt can change the stores: what its
// declaration says (route.state).
func mutates(rt *route) bool { return rt.state == changes }

// loop writes the state at most every FlushDelay while it is dirty.
func (p *persister) loop() {
	defer close(p.done)
	for {
		select {
		case <-p.stop:
			return
		case <-p.wake:
		}
		t := time.NewTimer(FlushDelay)
		select {
		case <-p.stop:
			t.Stop()
			return
		case <-t.C:
		}
		// An error here is retried on the next change and reported by Close.
		_ = p.flush()
	}
}

// flush writes the state if it is dirty.
func (p *persister) flush() error {
	if !p.dirty.Swap(false) {
		return nil
	}
	if err := p.write(); err != nil {
		p.dirty.Store(true)
		return err
	}
	return nil
}

// write snapshots the stores and replaces StateFile atomically.
func (p *persister) write() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	keys, err := p.v.keys.Snapshot(encodeMaterial)
	if err != nil {
		return fmt.Errorf("emulator state: %w", err)
	}
	doc := stateDoc{Format: stateFormat, Version: stateVersion, Saved: time.Now().UTC(),
		Secrets: p.v.secrets.Snapshot(), Keys: keys, BackupKey: p.v.backupKey, Certificates: p.v.certs.Snapshot()}
	return writeAtomic(p.path, func(w io.Writer) error { return json.NewEncoder(w).Encode(doc) })
}

// writeAtomic writes a file by way of a temporary file in its directory:
// write, fsync, rename over path, fsync the directory. The file is 0600.
func writeAtomic(path string, fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPrefix+"*") // mode 0600
	if err != nil {
		return fmt.Errorf("emulator state: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
			err = fmt.Errorf("emulator state %s: %w", path, err)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = fill(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// close stops the flush goroutine and writes the state if it changed.
func (p *persister) close() error {
	if p == nil {
		return nil
	}
	p.once.Do(func() {
		close(p.stop)
		<-p.done
		p.closeErr = p.flush()
	})
	return p.closeErr
}

// Close writes the vault's state to Config.DataDir if it changed since the
// last write and stops the background writer. Server.Close calls it; a vault
// without DataDir has nothing to close. Closing again returns the first
// result. Changes made after Close are not written.
func (v *Vault) Close() error { return v.persist.close() }

// Flush writes the vault's state to Config.DataDir now if it changed, rather
// than within FlushDelay.
func (v *Vault) Flush() error {
	if v.persist == nil {
		return nil
	}
	return v.persist.flush()
}

// k1Prefix marks P-256K material, which PKCS #8 cannot hold in Go (the
// standard library has no secp256k1): the prefix and the private scalar.
const k1Prefix = "secp256k1:"

// encodeMaterial is a private key as stored: PKCS #8 DER for RSA and the NIST
// curves, k1Prefix and the scalar for P-256K.
func encodeMaterial(k crypto.Signer) ([]byte, error) {
	switch k := k.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey:
		return x509.MarshalPKCS8PrivateKey(k)
	case *k1Key:
		return append([]byte(k1Prefix), padded(k.d, 32)...), nil
	default:
		return nil, fmt.Errorf("cannot store key material of type %T", k)
	}
}

// decodeMaterial reverses encodeMaterial.
func decodeMaterial(b []byte) (crypto.Signer, error) {
	if rest, ok := strings.CutPrefix(string(b), k1Prefix); ok {
		d := new(big.Int).SetBytes([]byte(rest))
		if len(rest) != 32 || d.Sign() == 0 || d.Cmp(k1.n) >= 0 {
			return nil, errors.New("P-256K key: bad private scalar")
		}
		return &k1Key{d: d, pub: k1Mul(k1G(), d)}, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(b)
	if err != nil {
		return nil, err
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("unsupported key material %T", k)
	}
	switch s.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey:
		return s, nil
	}
	return nil, fmt.Errorf("unsupported key material %T", s)
}
