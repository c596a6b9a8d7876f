package service

import (
	"encoding/json"
	"strings"
	"testing"
)

// A Slack message stays within Slack's limits however long the text (a
// section 3,000 characters, the message's text 40,000), ends a cut text in
// "…" and the link, never cuts inside an entity, and shows what people
// typed as typed: no mrkdwn, &, < and > escaped.
func TestSlackMessagesFitAndShowTextAsTyped(t *testing.T) {
	const link = "https://presale.example/offers/3"
	promise := strings.Repeat("We *will* ship the _connector_ by ~May~ `June`. ", 210)[:10000]
	cases := []struct {
		name, text, link string
		section, full    string // what the section and the text are, or start with when cut
		cut              bool   // the section is cut
		textCut          bool   // the message's text is cut
	}{
		{name: "short, with markup typed", text: "Deal “Fleet *2* <@channel> & _co_ ~x~ `y`”", link: link,
			section: "Deal “Fleet *2* &lt;@channel&gt; &amp; _co_ ~x~ `y`”", full: "Deal “Fleet *2* &lt;@channel&gt; &amp; _co_ ~x~ `y`”"},
		{name: "a 10,000-character promise", text: promise, link: link, section: promise[:100], full: promise, cut: true},
		{name: "10,000 ampersands", text: strings.Repeat("&", 10000), link: link, section: "&amp;&amp;", full: "&amp;&amp;", cut: true, textCut: true},
		{name: "10,000 emoji, two UTF-16 units each", text: strings.Repeat("😀", 10000), link: link, section: "😀😀", full: strings.Repeat("😀", 10000), cut: true},
		{name: "no web address to link", text: strings.Repeat("x", 5000), link: "/offers/3", section: "xxx", full: strings.Repeat("x", 5000), cut: true},
		{name: "empty", text: "", link: link, section: "presale", full: "presale"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, err := slackBlocks(c.text, c.link)
			if err != nil {
				t.Fatal(err)
			}
			var msg struct {
				Text   string
				Mrkdwn *bool
				Blocks []struct {
					Type string
					Text struct{ Type, Text string }
				}
			}
			if err := json.Unmarshal(body, &msg); err != nil {
				t.Fatal(err)
			}
			web := strings.HasPrefix(c.link, "https://")
			if want := map[bool]int{true: 2, false: 1}[web]; len(msg.Blocks) != want || msg.Blocks[0].Type != "section" {
				t.Fatalf("%d blocks, want %d with a section first: %s", len(msg.Blocks), want, body[:min(len(body), 300)])
			}
			if msg.Mrkdwn == nil || *msg.Mrkdwn || msg.Blocks[0].Text.Type != "plain_text" {
				t.Errorf("text may be read as mrkdwn: top-level mrkdwn %v, section %q", msg.Mrkdwn, msg.Blocks[0].Text.Type)
			}
			end := "…"
			if web {
				end += " " + c.link
			}
			for _, f := range []struct {
				what, got, want string
				limit           int
				cut             bool
			}{
				{"section", msg.Blocks[0].Text.Text, c.section, slackSectionLimit, c.cut},
				{"text", msg.Text, c.full, slackTextLimit, c.textCut},
			} {
				if n := slackLength(f.got); n > f.limit {
					t.Errorf("%s: %d characters, Slack takes %d", f.what, n, f.limit)
				}
				switch {
				case f.cut && (!strings.HasPrefix(f.got, f.want) || !strings.HasSuffix(f.got, end) || slackLength(f.got) < f.limit-10):
					t.Errorf("%s: cut to %d characters, want the text's start up to the limit, then %q: …%q", f.what, slackLength(f.got), end, f.got[max(0, len(f.got)-80):])
				case !f.cut && f.got != f.want:
					t.Errorf("%s = %q, want %q", f.what, f.got[:min(len(f.got), 200)], f.want[:min(len(f.want), 200)])
				}
				entities := strings.Count(f.got, "&amp;") + strings.Count(f.got, "&lt;") + strings.Count(f.got, "&gt;")
				if strings.Count(f.got, "&") != entities || strings.ContainsAny(f.got, "<>") {
					t.Errorf("%s: an & < or > left unescaped, or an entity cut: …%q", f.what, f.got[max(0, len(f.got)-80):])
				}
			}
		})
	}
}
