package web

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/labstack/echo/v4"
	"github.com/presale/presale/views/pages"
)

// apiDocs renders the served OpenAPI description as a page of presale's
// own: no script from elsewhere, readable without JavaScript.
func (s *Server) apiDocs(c echo.Context) error {
	return s.render(c, http.StatusOK, pages.APIDocs(s.shell(c, "API"), s.apiReference))
}

// apiReference is the description as the docs page shows it, built once.
func apiReference(oapi *huma.OpenAPI) pages.APIReference {
	ref := pages.APIReference{Title: oapi.Info.Title, Version: oapi.Info.Version, Description: oapi.Info.Description, Base: apiBase}
	reg := oapi.Components.Schemas
	paths := make([]string, 0, len(oapi.Paths))
	for p := range oapi.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	groups := map[string]*pages.APIGroup{}
	for _, p := range paths {
		item := oapi.Paths[p]
		for _, mo := range []struct {
			method string
			op     *huma.Operation
		}{{"GET", item.Get}, {"POST", item.Post}, {"PATCH", item.Patch}} {
			if mo.op == nil {
				continue
			}
			op := pages.APIOperation{ID: mo.op.OperationID, Method: mo.method, Path: apiBase + p, Summary: mo.op.Summary}
			for _, prm := range mo.op.Parameters {
				op.Params = append(op.Params, pages.APIField{Name: prm.Name, In: prm.In, Required: prm.Required,
					Type: schemaType(reg, prm.Schema), Doc: docOf(prm.Description, prm.Schema)})
			}
			if rb := mo.op.RequestBody; rb != nil && rb.Content["application/json"] != nil {
				op.Body = fields(reg, rb.Content["application/json"].Schema)
			}
			codes := make([]string, 0, len(mo.op.Responses))
			for code := range mo.op.Responses {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			for _, code := range codes {
				if n, _ := strconv.Atoi(code); n < 300 {
					op.Success = code
					if mt := mo.op.Responses[code].Content["application/json"]; mt != nil {
						op.Returns = schemaType(reg, mt.Schema)
					}
				} else {
					op.Errors = append(op.Errors, code)
				}
			}
			tag := "other"
			if len(mo.op.Tags) > 0 {
				tag = mo.op.Tags[0]
			}
			g, ok := groups[tag]
			if !ok {
				g = &pages.APIGroup{Name: tag}
				groups[tag] = g
			}
			g.Operations = append(g.Operations, op)
		}
	}
	for _, g := range groups {
		ref.Groups = append(ref.Groups, *g)
	}
	slices.SortFunc(ref.Groups, func(a, b pages.APIGroup) int { return strings.Compare(a.Name, b.Name) })
	names := make([]string, 0)
	for name := range reg.Map() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ref.Schemas = append(ref.Schemas, pages.APISchema{Name: name, Fields: fields(reg, reg.Map()[name])})
	}
	return ref
}

// resolve follows a $ref.
func resolve(reg huma.Registry, s *huma.Schema) *huma.Schema {
	if s != nil && s.Ref != "" {
		return reg.SchemaFromRef(s.Ref)
	}
	return s
}

// fields lists an object schema's properties.
func fields(reg huma.Registry, s *huma.Schema) []pages.APIField {
	s = resolve(reg, s)
	if s == nil {
		return nil
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]pages.APIField, 0, len(names))
	for _, n := range names {
		p := s.Properties[n]
		out = append(out, pages.APIField{Name: n, Required: slices.Contains(s.Required, n), Type: schemaType(reg, p), Doc: docOf(p.Description, p)})
	}
	return out
}

// schemaType names a schema as a reader thinks of it: a type, a list of
// one, or a named object.
func schemaType(reg huma.Registry, s *huma.Schema) string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		return s.Ref[strings.LastIndex(s.Ref, "/")+1:]
	}
	switch {
	case s.Type == huma.TypeArray:
		return "list of " + schemaType(reg, s.Items)
	case s.Format != "":
		return s.Type + " (" + s.Format + ")"
	case len(s.AnyOf) > 0: // a date or empty, say
		var shapes []string
		for _, alt := range s.AnyOf {
			switch {
			case alt.Format != "":
				shapes = append(shapes, alt.Format)
			case alt.MaxLength != nil && *alt.MaxLength == 0:
				shapes = append(shapes, "empty")
			case alt.Description != "":
				shapes = append(shapes, alt.Description)
			}
		}
		return s.Type + " (" + strings.Join(shapes, " or ") + ")"
	}
	return s.Type
}

// docOf is a field's description with its allowed values.
func docOf(desc string, s *huma.Schema) string {
	if s == nil || len(s.Enum) == 0 {
		return desc
	}
	vals := make([]string, len(s.Enum))
	for i, v := range s.Enum {
		vals[i] = fmt.Sprint(v)
	}
	return strings.TrimSpace(desc + " One of: " + strings.Join(vals, ", ") + ".")
}
