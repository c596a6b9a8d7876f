package csvfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/presale/presale/internal/csvfile"
)

// hubspot is a deals export as HubSpot writes its columns: a quoted
// description across lines, a name with a comma in quotes.
const hubspot = "Record ID,Deal Name,Deal Stage,Amount,Close Date,Deal owner,Description\r\n" +
	"1001,\"Fleet, phase 2\",Qualified To Buy,125000.50,2027-03-31,Ana Ruiz,\"Two lines:\r\nsecond\"\r\n" +
	"1002,Café Müller rollout,Closed Won,9000,2026-12-01,Ben Ode,\r\n" +
	"\r\n"

// salesforce is an opportunities export as Salesforce writes it in a
// European locale: semicolons.
const salesforce = "Opportunity ID;Opportunity Name;Stage;Amount;Close Date;Account Name;Opportunity Owner\n" +
	"006A1;Müller Logistik;Prospecting;12.000,00;31.03.2027;Müller GmbH;Ana Ruiz\n"

func encode(t *testing.T, s, enc string) []byte {
	t.Helper()
	switch enc {
	case "utf8-bom":
		return append([]byte{0xEF, 0xBB, 0xBF}, s...)
	case "utf16-bom":
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	case "utf16be":
		b, err := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	case "windows-1252":
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return []byte(s)
}

// The same export reads the same in every encoding people save it in.
func TestEveryEncodingReadsTheSame(t *testing.T) {
	for _, tc := range []struct{ enc, want string }{
		{"utf8", "UTF-8"}, {"utf8-bom", "UTF-8"}, {"utf16-bom", "UTF-16"}, {"utf16be", "UTF-16"}, {"windows-1252", "Windows-1252"},
	} {
		for name, text := range map[string]string{"hubspot": hubspot, "salesforce": salesforce} {
			f, err := csvfile.Read(bytes.NewReader(encode(t, text, tc.enc)))
			if err != nil {
				t.Fatalf("%s in %s: %v", name, tc.enc, err)
			}
			if f.Encoding != tc.want {
				t.Errorf("%s in %s read as %s", name, tc.enc, f.Encoding)
			}
			switch name {
			case "hubspot":
				if f.Separator != ',' || len(f.Header) != 7 || f.Header[1] != "Deal Name" || len(f.Rows) != 2 {
					t.Fatalf("%s in %s: %q %q %d rows", name, tc.enc, f.Separator, f.Header, len(f.Rows))
				}
				if f.Rows[0].Fields[1] != "Fleet, phase 2" || f.Rows[0].Fields[6] != "Two lines:\nsecond" || f.Rows[1].Fields[1] != "Café Müller rollout" {
					t.Errorf("%s in %s: %v", name, tc.enc, f.Rows)
				}
				if f.Rows[0].Line != 2 || f.Rows[1].Line != 4 {
					t.Errorf("%s in %s: lines %d, %d", name, tc.enc, f.Rows[0].Line, f.Rows[1].Line)
				}
			case "salesforce":
				if f.Separator != ';' || f.Rows[0].Fields[5] != "Müller GmbH" || f.Rows[0].Fields[3] != "12.000,00" {
					t.Errorf("%s in %s: %q %v", name, tc.enc, f.Separator, f.Rows)
				}
			}
		}
	}
}

// A broken file is refused with its line and a reason a spreadsheet user
// can act on.
func TestBrokenFilesSayWhere(t *testing.T) {
	for name, tc := range map[string]struct {
		text string
		line int
		says string
	}{
		"empty":          {"", 0, "empty"},
		"blank lines":    {"\n\n  \n", 0, "empty"},
		"a stray quote":  {"Name,Domain\nAcme,acme.com\nBad \"quote,x.com\n", 3, "quote"},
		"an open quote":  {"Name,Domain\n\"Acme,acme.com\nNext,next.com\n", 2, "quote"},
		"a field beyond": {"Name,Domain\nAcme,acme.com,extra\n", 2, "separator inside a field"},
		"a workbook":     {"Name,Domain\nAcme,ac\x00me.com\n", 2, "not text"},
	} {
		_, err := csvfile.Read(strings.NewReader(tc.text))
		var ferr *csvfile.Error
		if !errors.As(err, &ferr) || ferr.Line != tc.line || !strings.Contains(ferr.Reason, tc.says) {
			t.Errorf("%s: %v", name, err)
		}
	}
	big := bytes.Repeat([]byte("a"), csvfile.MaxSize+1)
	if _, err := csvfile.Read(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("21 MB: %v", err)
	}
}

// Reading 10,000 rows (the import size), for `go test -bench`.
func BenchmarkRead10000Rows(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("Record ID,Deal Name,Deal Stage,Amount,Close Date,Deal owner\n")
	for i := range 10000 {
		fmt.Fprintf(&sb, "%d,\"Deal %d, phase 1\",Appointment Scheduled,%d.50,2027-01-%02d,Ana Ruiz\n", i, i, i*10, i%28+1)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, err := csvfile.Read(bytes.NewReader(data))
		if err != nil || len(f.Rows) != 10000 {
			b.Fatal(err, len(f.Rows))
		}
	}
}
