package service

import (
	"encoding/json"
	"strings"
	"unicode/utf16"
)

// Slack's limits (Block Kit reference): a section's text, and a message's
// top-level text.
const (
	slackSectionLimit = 3000
	slackTextLimit    = 40000
)

// slackEntities escapes the three characters Slack parses in every text
// object (links, mentions), as its formatting guide asks; it decodes no
// other entity, so "&#42;" would show as typed.
var slackEntities = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slackBlocks is the body of a Slack message telling text, with a button to
// link when it is a web address. Slack documents no escape for *, _, ~ and
// backticks in mrkdwn, so what people typed is never read as mrkdwn: the
// section is plain_text and the top-level text has "mrkdwn": false. Past
// Slack's limits the text ends in "…" and the link.
func slackBlocks(text, link string) ([]byte, error) {
	if strings.TrimSpace(text) == "" {
		text = "presale" // Slack refuses an empty text object
	}
	web := strings.HasPrefix(link, "https://") || strings.HasPrefix(link, "http://")
	if !web {
		link = ""
	}
	blocks := []any{map[string]any{"type": "section", "text": map[string]any{"type": "plain_text", "text": slackFit(text, link, slackSectionLimit)}}}
	if web {
		blocks = append(blocks, map[string]any{"type": "actions", "elements": []any{map[string]any{
			"type": "button", "text": map[string]any{"type": "plain_text", "text": "Open in presale"}, "url": link}}})
	}
	return json.Marshal(map[string]any{"text": slackFit(text, link, slackTextLimit), "mrkdwn": false, "blocks": blocks})
}

// slackFit escapes text and, past limit, cuts it at a whole character (never
// inside an entity) to end in "…" and the link. Slack counts characters;
// UTF-16 units are never fewer, so they are what is counted.
func slackFit(text, link string, limit int) string {
	escaped := slackEntities.Replace(text)
	if slackLength(escaped) <= limit {
		return escaped
	}
	end := "…"
	if link != "" {
		end += " " + slackEntities.Replace(link)
	}
	room := limit - slackLength(end)
	var b strings.Builder
	for _, r := range text {
		e := slackEntities.Replace(string(r))
		if room -= slackLength(e); room < 0 {
			break
		}
		b.WriteString(e)
	}
	return strings.TrimRight(b.String(), " \n") + end
}

// slackLength is s's length in UTF-16 units.
func slackLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
