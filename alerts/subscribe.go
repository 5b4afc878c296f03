package alerts

import (
	"context"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/tree"
)

// subscriptionBuffer is how many alerts wait for a slow subscription.
const subscriptionBuffer = 16

// Subscribe follows, for v, the alerts raised (and assigned) under
// scopePath — "" for all of v's reach: everything for the INITIATOR, its
// scope for anyone else — until ctx ends. seed 004 annex note 3: an alert is
// shown at once to whoever watches its place; seed 001 §15: 实时跟踪平台推送的
// 扫码异常健康信息.
//
// Each alert is reloaded with ctx, the subscriber's request: through its
// scope filter, so a subscriber never receives an alert it could not list.
func (s *Service) Subscribe(ctx context.Context, v *mashang.Viewer, scopePath string) (<-chan *ent.Alert, error) {
	if s == nil || s.Broker == nil {
		return nil, mashang.Errorf(mashang.EUNAVAILABLE, "Live alerts are not available on this server.")
	}
	if scopePath == "" && v != nil {
		scopePath = v.ScopePath
		if v.Role == mashang.RoleInitiator {
			scopePath = tree.Root
		}
	}
	// SECURITY: keeps out the scanners (INTERMEDIATE, ORDINARY), who have
	// no alerts, and everyone asking for a subtree beyond their scope.
	if err := s.Authorize(v, authz.ActSubscribe, Target{ScopePath: scopePath}); err != nil {
		return nil, mashang.Wrap(err, "alerts.Subscribe")
	}
	msgs, cancel := s.Broker.Subscribe()
	out := make(chan *ent.Alert, subscriptionBuffer)
	go s.deliver(ctx, v, scopePath, msgs, cancel, out)
	return out, nil
}

// deliver fans msgs out to one subscription until ctx ends or the broker
// closes.
func (s *Service) deliver(ctx context.Context, v *mashang.Viewer, scopePath string, msgs <-chan Message, cancel func(), out chan<- *ent.Alert) {
	defer close(out)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-msgs:
			if !ok {
				return
			}
			// SECURITY: every message, on every replica, before delivery:
			// keeps out what v may not see (another scope, another sector,
			// another grid worker's assignment).
			if !s.Visible(v, scopePath, m) {
				continue
			}
			a, err := s.Client.Alert.Get(ctx, m.AlertID)
			if err != nil {
				continue // gone, or hidden by the scope filter
			}
			select {
			case out <- a:
			case <-ctx.Done():
				return
			}
		}
	}
}
