package alerts

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestEncodePayloads(t *testing.T) {
	msgs := make([]Message, 500)
	for i := range msgs {
		msgs[i] = Message{AlertID: i + 1, ScopePath: "/22/2201/220104/220104001/220104001001/s" + strings.Repeat("9", i%50) + "/", Sector: "HEALTH", AssigneeID: i % 3}
	}
	for _, limit := range []int{maxPayload, 1000, 200} {
		payloads, err := encodePayloads(msgs, limit)
		if err != nil {
			t.Fatal(err)
		}
		var all []Message
		for i, p := range payloads {
			if len(p) > limit {
				t.Fatalf("limit %d: payload %d has %d bytes", limit, i, len(p))
			}
			got, err := decodePayload(p)
			if err != nil {
				t.Fatal(err)
			}
			// Each notification is as full as the next message allows.
			if i < len(payloads)-1 {
				next, _ := json.Marshal(msgs[len(all)+len(got)])
				if len(p)+1+len(next) <= limit {
					t.Fatalf("limit %d: payload %d (%d bytes) had room for the next message (%d bytes)", limit, i, len(p), len(next))
				}
			}
			all = append(all, got...)
		}
		if !reflect.DeepEqual(all, msgs) {
			t.Fatalf("limit %d: payloads do not decode to the messages, in order", limit)
		}
	}

	if p, err := encodePayloads(nil, maxPayload); err != nil || len(p) != 0 {
		t.Fatalf("no messages: %v %v", p, err)
	}
	if _, err := encodePayloads([]Message{{AlertID: 1, ScopePath: strings.Repeat("x", 300)}}, 200); err == nil {
		t.Fatal("a message longer than a notification must be refused")
	}
	if _, err := decodePayload("not json"); err == nil {
		t.Fatal("garbage decoded")
	}
}
