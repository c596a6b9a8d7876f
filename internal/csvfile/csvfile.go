// Package csvfile reads the CSV files people export from spreadsheets and
// CRMs: UTF-8 with or without a byte-order mark, UTF-16, or Windows-1252;
// commas, semicolons or tabs; quoted fields across lines. Every row keeps
// the line it starts on, so an import can say where a problem is.
package csvfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// MaxSize is the largest file read: 20 MB holds far more than the
// 10,000-row imports people bring.
const MaxSize = 20 << 20

// File is a CSV file as read: its header and rows, each with its line.
type File struct {
	Encoding  string // "UTF-8", "UTF-16" or "Windows-1252"
	Separator rune
	Header    []string
	Rows      []Row
}

// Row is one record and the line of the file it starts on.
type Row struct {
	Line   int
	Fields []string
}

// Error is a file that cannot be read, in words for the person who sent
// it: which line, and what is wrong.
type Error struct {
	Line   int // 0 when the problem is the whole file
	Reason string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Reason
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// Read reads a whole file.
func Read(r io.Reader) (File, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return File{}, err
	}
	if len(raw) > MaxSize {
		return File{}, &Error{Reason: fmt.Sprintf("The file is larger than %d MB. Split it and import the parts.", MaxSize>>20)}
	}
	f := File{}
	text, enc, err := decode(raw)
	if err != nil {
		return f, &Error{Reason: "The file's text could not be read (" + err.Error() + "). Save it as CSV in UTF-8 and try again."}
	}
	f.Encoding = enc
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if strings.TrimSpace(text) == "" {
		return f, &Error{Reason: "The file is empty."}
	}
	if i := strings.IndexByte(text, 0); i >= 0 {
		// Text has no NUL: this is a workbook or other binary file.
		return f, &Error{Line: 1 + strings.Count(text[:i], "\n"), Reason: "this is not text. Save the spreadsheet as CSV and upload that."}
	}
	f.Separator = separator(text)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma, cr.FieldsPerRecord = f.Separator, -1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			return f, &Error{Line: perr.StartLine, Reason: explain(perr.Err)}
		}
		if err != nil {
			return f, err
		}
		line, _ := cr.FieldPos(0)
		if f.Header == nil {
			f.Header = make([]string, len(rec))
			for i, h := range rec {
				f.Header[i] = strings.TrimSpace(h)
			}
			continue
		}
		if blank(rec) {
			continue
		}
		if len(rec) > len(f.Header) {
			return f, &Error{Line: line, Reason: fmt.Sprintf("it has %d fields, the header %d. A separator inside a field needs quotes around the field.", len(rec), len(f.Header))}
		}
		f.Rows = append(f.Rows, Row{Line: line, Fields: rec})
	}
	return f, nil
}

// decode turns the bytes into text: a byte-order mark decides; without
// one, valid UTF-8 is UTF-8, text with a NUL in every other byte is
// UTF-16, and anything else is taken as Windows-1252 (Excel's default).
func decode(raw []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		return string(raw[3:]), "UTF-8", nil
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return utf16(raw, unicode.BOMOverride(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()))
	case looksUTF16(raw) == 1:
		return utf16(raw, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder())
	case looksUTF16(raw) == 2:
		return utf16(raw, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder())
	case utf8.Valid(raw):
		return string(raw), "UTF-8", nil
	}
	out, _, err := transform.Bytes(charmap.Windows1252.NewDecoder(), raw)
	return string(out), "Windows-1252", err
}

func utf16(raw []byte, dec transform.Transformer) (string, string, error) {
	out, _, err := transform.Bytes(dec, raw)
	return strings.TrimPrefix(string(out), "\uFEFF"), "UTF-16", err
}

// looksUTF16 reports UTF-16 without a mark: 1 for little-endian (NUL in
// the odd bytes), 2 for big-endian, 0 for neither.
func looksUTF16(raw []byte) int {
	n := min(len(raw), 400) &^ 1
	if n < 4 {
		return 0
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if raw[i] == 0 {
			even++
		}
		if raw[i+1] == 0 {
			odd++
		}
	}
	switch half := n / 2; {
	case odd*10 >= half*9 && even == 0:
		return 1
	case even*10 >= half*9 && odd == 0:
		return 2
	}
	return 0
}

// separator is the one of comma, semicolon and tab the header line holds
// most of (outside quotes); a comma when it holds none.
func separator(text string) rune {
	line := text
	inQuotes := false
	for i, r := range text {
		if r == '"' {
			inQuotes = !inQuotes
		}
		if r == '\n' && !inQuotes {
			line = text[:i]
			break
		}
	}
	best, count := ',', 0
	for _, sep := range []rune{',', ';', '\t'} {
		if n := strings.Count(line, string(sep)); n > count {
			best, count = sep, n
		}
	}
	return best
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// explain says a CSV syntax error in a spreadsheet user's words.
func explain(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return "a quote mark is out of place. A field with quotes in it needs quotes around it, and each quote inside doubled (\"\")."
	case errors.Is(err, csv.ErrFieldCount):
		return "it has a different number of fields than the header."
	}
	return err.Error()
}
