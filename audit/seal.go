package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
)

// Anchor is a chain head recorded outside the database: the event with
// seq Seq had the hash Hash. Seq 0 with Genesis is the empty chain.
type Anchor struct {
	Seq  int64
	Hash string
}

// String is the anchor as `mashang audit verify --anchor` takes it:
// "SEQ:HASH".
func (a Anchor) String() string { return strconv.FormatInt(a.Seq, 10) + ":" + a.Hash }

// ParseAnchor reads an anchor written as "SEQ:HASH" (Anchor.String).
func ParseAnchor(s string) (Anchor, error) {
	n, h, ok := strings.Cut(strings.TrimSpace(s), ":")
	seq, err := strconv.ParseInt(n, 10, 64)
	switch {
	case !ok || err != nil || seq < 0:
		return Anchor{}, fmt.Errorf("audit: anchor %q: write it as SEQ:HASH, as `mashang audit verify` prints the head", s)
	case seq == 0 && h != Genesis:
		return Anchor{}, fmt.Errorf("audit: anchor %q: seq 0 is the empty chain, 0:%s", s, Genesis)
	case seq > 0 && !isHexHash(h):
		return Anchor{}, fmt.Errorf("audit: anchor %q: the hash is 64 hex digits", s)
	}
	return Anchor{Seq: seq, Hash: h}, nil
}

func isHexHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for _, r := range h {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// Sealer is the hourly audit-seal job (and `mashang audit seal`). Events
// are chained as they are written (Record), so there is nothing left to
// seal; what it does:
//
//   - on the first run after an upgrade, it chains the events written
//     before chaining at insert (adopt), under the chain lock;
//   - it reads the chain head and logs it ("audit anchor", seq and hash):
//     a log shipped off the machine is an anchor kept outside the
//     database, against which a deleted tail or a rewritten chain shows
//     (`mashang audit verify --anchor SEQ:HASH`).
type Sealer struct {
	Client *ent.Client
	Logger *slog.Logger // nil: the head is not logged
}

// Seal adopts the unchained events of an empty chain, logs the head and
// returns how many events it adopted. Its signature fits scheduler.Job.Run.
func (s *Sealer) Seal(ctx context.Context, _ time.Time) (int, error) {
	if s == nil || s.Client == nil {
		return 0, errors.New("audit: sealer without a client")
	}
	n, head, err := sealOnce(ctx, s.Client)
	if err != nil {
		return 0, err
	}
	if s.Logger != nil {
		s.Logger.InfoContext(ctx, "audit anchor", "seq", head.Seq, "hash", head.Hash, "anchor", head.String())
	}
	return n, nil
}

// SealHead is Seal without the log: it returns the number of events
// adopted and the head, for `mashang audit seal` to print.
func (s *Sealer) SealHead(ctx context.Context) (int, Anchor, error) {
	if s == nil || s.Client == nil {
		return 0, Anchor{}, errors.New("audit: sealer without a client")
	}
	return sealOnce(ctx, s.Client)
}

func sealOnce(ctx context.Context, c *ent.Client) (n int, head Anchor, err error) {
	err = database.InTx(authz.AsSystem(database.WithoutTx(ctx)), c, func(ctx context.Context, c *ent.Client) error {
		seq, h, err := lockHead(ctx, c)
		if err != nil {
			return err
		}
		if seq == 0 {
			if seq, h, err = adopt(ctx, c); err != nil {
				return err
			}
			n = int(seq)
		}
		head = Anchor{Seq: seq, Hash: h}
		return nil
	}, database.Fresh())
	if err != nil {
		return 0, Anchor{}, fmt.Errorf("audit: seal: %w", err)
	}
	return n, head, nil
}
