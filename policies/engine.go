package policies

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown/print"
)

// compile compiles modules with kubeplan's sandboxed capabilities. print()
// calls are kept only when debug is on (otherwise the compiler removes
// them, as OPA does by default).
func compile(mods map[string]*ast.Module, debug bool) (*ast.Compiler, error) {
	c := ast.NewCompiler().
		WithCapabilities(capabilities()).
		WithEnablePrintStatements(debug)
	c.Compile(mods)
	if c.Failed() {
		return nil, c.Errors
	}
	return c, nil
}

// newStore builds a read-only store over data. Values are converted to
// Rego values once here, so policies that read large documents (the
// inventory) pay no conversion per evaluation.
func newStore(data map[string]any) storage.Store {
	return inmem.NewFromObjectWithOpts(data, inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true))
}

// evaluator runs one prepared query per input with the run's time, print
// hook and deadline.
type evaluator struct {
	query   rego.PreparedEvalQuery
	now     time.Time
	timeout time.Duration
	hook    print.Hook
}

// prepare compiles query against an already-compiled set of modules.
func prepare(ctx context.Context, c *ast.Compiler, query string, store storage.Store, env runEnv) (*evaluator, error) {
	opts := []func(*rego.Rego){
		rego.Compiler(c),
		rego.Store(store),
		rego.Query(query),
		rego.StrictBuiltinErrors(false),
		rego.EnablePrintStatements(env.Debug != nil),
	}
	opts = append(opts, builtinOptions(env.RBAC, env.Placement)...)
	pq, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing %s: %w", query, err)
	}
	ev := &evaluator{query: pq, now: env.Now, timeout: env.Timeout}
	if env.Debug != nil {
		ev.hook = env.printer()
	}
	return ev, nil
}

// eval evaluates the query with input. It never panics: a panic inside OPA
// becomes an error.
func (e *evaluator) eval(ctx context.Context, input ast.Value) (rs rego.ResultSet, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in policy evaluation: %v", r)
		}
	}()
	if e.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.timeout)
		defer cancel()
	}
	opts := []rego.EvalOption{rego.EvalParsedInput(input), rego.EvalTime(e.now)}
	if e.hook != nil {
		opts = append(opts, rego.EvalPrintHook(e.hook))
	}
	return e.query.Eval(ctx, opts...)
}

// runEnv is what every evaluation of a run shares.
type runEnv struct {
	Debug     io.Writer
	debugMu   *sync.Mutex
	WorkDir   string
	RBAC      RBAC
	Placement Placement
	Now       time.Time
	Timeout   time.Duration
}

func (env runEnv) printer() print.Hook {
	return printHook{w: env.Debug, mu: env.debugMu, workDir: env.WorkDir}
}

// printHook writes print() output as "file:line: message", one call at a
// time.
type printHook struct {
	w       io.Writer
	mu      *sync.Mutex
	workDir string
}

func (h printHook) Print(pctx print.Context, msg string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if pctx.Location != nil {
		_, err := fmt.Fprintf(h.w, "%s:%d: %s\n", relPath(h.workDir, pctx.Location.File), pctx.Location.Row, msg)
		return err
	}
	_, err := fmt.Fprintln(h.w, msg)
	return err
}
