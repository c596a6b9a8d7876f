// Package jobs is presale's durable queue: River, in the same database as
// everything else, so a delivery is queued in the transaction of the
// change it reports and survives a restart. It sends webhooks.
package jobs

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/presale/presale/db"
	"github.com/presale/presale/internal/domain"
	"github.com/presale/presale/internal/mail"
	"github.com/presale/presale/internal/service"
)

// QueueWebhooks is the queue webhook deliveries wait in.
const QueueWebhooks = "webhooks"

// MaxAttempts is how often a delivery is tried. River's backoff waits
// attempt⁴ seconds after each failure: the 25th attempt comes about three
// weeks after the first, well past the day the issue asks for.
const MaxAttempts = 25

// Sender is what the jobs need of the service.
type Sender interface {
	WebhookToSend(ctx context.Context, id int64) (service.WebhookToSend, error)
	RecordWebhookAttempt(ctx context.Context, id int64, a service.WebhookAttempt) error
	WithholdWebhook(ctx context.Context, id int64) error
	EventPublic(ctx context.Context, eventID int64) (bool, error)
	SweepReminders(ctx context.Context) (int, error)
	EmailToSend(ctx context.Context, id int64) (service.EmailToSend, bool, error)
	MarkEmailed(ctx context.Context, id int64) error
	QueueDigests(ctx context.Context) (int, error)
	Digest(ctx context.Context, userID int64, day string) (service.Digest, error)
}

// Mail writes and sends e-mail (internal/mail).
type Mail interface {
	Notification(service.EmailToSend) (mail.Message, error)
	Digest(service.Digest) (mail.Message, error)
	Send(ctx context.Context, m mail.Message) error
}

// QueueEmail is the queue e-mail waits in.
const QueueEmail = "email"

// DigestSweepEvery is how often presale looks for people whose morning
// has come; each gets one digest a day.
const DigestSweepEvery = 10 * time.Minute

// JobTimeout bounds one attempt of a job (a delivery's request has 10 s).
const JobTimeout = 30 * time.Second

// RescueAfter is how long a job may run before River counts it stuck (its
// process died) and a live instance's leader tries it again: twice the
// timeout. River's rescuer looks every 30 s, so a job in flight at a kill
// is taken up within RescueAfter + 30 s of its start (90 s).
func RescueAfter(timeout time.Duration) time.Duration { return 2 * timeout }

// SweepEvery is how often presale looks for what has come due (requests
// past their needed-by date, meetings within a day out of sync).
const SweepEvery = 5 * time.Minute

// Config says how the queue runs.
type Config struct {
	SQLite       bool // the database is SQLite: River's SQLite driver, over the one writer connection
	Workers      int  // deliveries sent at once; 10 unless set
	PollInterval time.Duration
	// RetryPolicy replaces River's backoff (attempt⁴ seconds), for tests
	// that want to see a retry soon.
	RetryPolicy river.ClientRetryPolicy
	HTTP        *http.Client // sends deliveries; a 10 s timeout, no redirects, unless set
	// JobTimeout bounds one attempt (JobTimeout, 30 s, unless set); a job
	// still running after twice that (its process killed) is taken up
	// again by a live instance (RescueAfter).
	JobTimeout time.Duration
	// AllowPrivateTargets lets deliveries connect to private, loopback and
	// link-local addresses (PRESALE_WEBHOOK_PRIVATE_TARGETS=allow).
	AllowPrivateTargets bool
	Mail                Mail // sends e-mail; none without PRESALE_SMTP_URL
	UserAgent           string
	Log                 *slog.Logger
}

// Jobs is the queue: it takes deliveries inside a transaction and, once
// Work is called, sends them.
type Jobs struct {
	driver  riverdriver.Driver[*sql.Tx]
	client  *river.Client[*sql.Tx]
	worker  *deliverWorker
	sweeper *sweepWorker
	mailer  *mailWorkers
}

// New sets up the queue over db: for SQLite, the writer pool (one
// connection, as River's SQLite driver advises); for PostgreSQL, the pool.
func New(db *sql.DB, cfg Config) (*Jobs, error) {
	var driver riverdriver.Driver[*sql.Tx] = riverdatabasesql.New(db)
	if cfg.SQLite {
		driver = riversqlite.New(db)
	}
	if cfg.Workers == 0 {
		cfg.Workers = 10
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 10 * time.Second, Transport: transport(cfg.AllowPrivateTargets),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.RetryPolicy == nil {
		cfg.RetryPolicy = &river.DefaultClientRetryPolicy{}
	}
	j := &Jobs{driver: driver}
	j.worker = &deliverWorker{http: cfg.HTTP, agent: cfg.UserAgent, log: cfg.Log}
	j.sweeper = &sweepWorker{}
	j.mailer = &mailWorkers{mail: cfg.Mail}
	workers := river.NewWorkers()
	river.AddWorker(workers, j.worker)
	river.AddWorker(workers, j.sweeper)
	river.AddWorker(workers, &emailWorker{m: j.mailer})
	river.AddWorker(workers, &digestWorker{m: j.mailer})
	river.AddWorker(workers, &digestSweepWorker{m: j.mailer})
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(SweepEvery),
		func() (river.JobArgs, *river.InsertOpts) { return sweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
	if cfg.Mail != nil {
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(DigestSweepEvery),
			func() (river.JobArgs, *river.InsertOpts) { return digestSweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	client, err := river.NewClient(driver, &river.Config{
		Queues:               map[string]river.QueueConfig{QueueWebhooks: {MaxWorkers: cfg.Workers}, QueueEmail: {MaxWorkers: 4}},
		Workers:              workers,
		RetryPolicy:          cfg.RetryPolicy,
		FetchPollInterval:    cfg.PollInterval,
		Logger:               cfg.Log,
		JobTimeout:           cmp.Or(cfg.JobTimeout, JobTimeout),
		RescueStuckJobsAfter: RescueAfter(cmp.Or(cfg.JobTimeout, JobTimeout)),
		MaxAttempts:          MaxAttempts,
		// The leader (one instance of several) queues the sweeps.
		PeriodicJobs: periodic,
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	j.client = client
	return j, nil
}

// Migrate creates or updates River's own tables (under db.WhileLocked).
func (j *Jobs) Migrate(ctx context.Context) error {
	m, err := rivermigrate.New(j.driver, nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// Work starts sending queued deliveries through s, until Stop. Cancelling
// ctx does not stop the work: River would cancel the jobs in flight, so a
// shutdown calls Stop, which lets them finish.
func (j *Jobs) Work(ctx context.Context, s Sender) error {
	j.worker.sender, j.sweeper.sender, j.mailer.sender = s, s, s
	return j.client.Start(context.WithoutCancel(ctx))
}

// Stop takes no new jobs and lets those in flight finish, until ctx ends;
// then it cancels them (their attempt is recorded as cut off) and returns.
func (j *Jobs) Stop(ctx context.Context) error {
	err := j.client.Stop(ctx)
	if ctx.Err() != nil {
		hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return errors.Join(err, j.client.StopAndCancel(hard))
	}
	return err
}

// Enqueue queues deliveries in tx: they are sent once it commits. It
// returns each one's job, in order.
func (j *Jobs) Enqueue(ctx context.Context, tx *sql.Tx, deliveryIDs []int64) ([]int64, error) {
	if tx == nil {
		return nil, errors.New("webhook deliveries are queued inside the change's transaction")
	}
	return j.insert(ctx, tx, deliveryIDs, func(id int64) river.JobArgs { return deliverArgs{DeliveryID: id} })
}

// insert queues a job per id in tx and returns the jobs' ids, in order.
func (j *Jobs) insert(ctx context.Context, tx *sql.Tx, ids []int64, args func(int64) river.JobArgs) ([]int64, error) {
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: args(id)}
	}
	res, err := j.client.InsertManyTx(ctx, tx, params)
	if err != nil {
		return nil, err
	}
	jobs := make([]int64, len(res))
	for i, r := range res {
		jobs[i] = r.Job.ID
	}
	return jobs, nil
}

// NextAttempts is River's schedule of the jobs that have not run for good:
// when each will next be tried, by job id.
func (j *Jobs) NextAttempts(ctx context.Context, jobIDs []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	if len(jobIDs) == 0 {
		return out, nil
	}
	res, err := j.client.JobList(ctx, river.NewJobListParams().IDs(jobIDs...).First(len(jobIDs)).
		States(rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStateRunning))
	if err != nil {
		return nil, err
	}
	for _, job := range res.Jobs {
		if job.State != rivertype.JobStateRunning {
			out[job.ID] = job.ScheduledAt
		}
	}
	return out, nil
}

// deliverArgs is the job of sending one delivery.
type deliverArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

func (deliverArgs) Kind() string { return "webhook_delivery" }

func (deliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWebhooks, MaxAttempts: MaxAttempts}
}

type deliverWorker struct {
	river.WorkerDefaults[deliverArgs]
	sender Sender
	http   *http.Client
	agent  string
	log    *slog.Logger
}

// Work sends a delivery once. An error sends it to River's backoff; the
// attempt is recorded on the delivery either way.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	id := job.Args.DeliveryID
	send, err := w.sender.WebhookToSend(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if send.Delivery.Status == domain.DeliveryDelivered {
		return nil // delivered already; a redelivery sets it pending first
	}
	if send.Withheld {
		return w.sender.WithholdWebhook(ctx, id)
	}
	code, sendErr := w.send(ctx, send, time.Now())
	if errors.Is(sendErr, errWithheld) {
		return w.sender.WithholdWebhook(context.WithoutCancel(ctx), id)
	}
	a := service.WebhookAttempt{Code: code, Final: job.Attempt >= job.MaxAttempts}
	if sendErr != nil {
		a.Err = sendErr.Error()
	}
	// Recorded even when a shutdown cut the attempt off.
	if err := w.sender.RecordWebhookAttempt(context.WithoutCancel(ctx), id, a); err != nil {
		w.log.Error("recording a webhook attempt", "delivery", id, "err", err)
	}
	return sendErr
}

// send posts the delivery's payload; a standard endpoint's carries the
// Standard Webhooks headers.
func (w *deliverWorker) send(ctx context.Context, s service.WebhookToSend, now time.Time) (int, error) {
	body := []byte(s.Delivery.Payload)
	// The last look, once connected, as the body is about to be written:
	// a hold that committed while the connection was made stops it.
	look := &lastLook{Reader: bytes.NewReader(body), check: func() error {
		ok, err := w.sender.EventPublic(ctx, s.Delivery.EventID)
		if err == nil && !ok {
			err = errWithheld
		}
		return err
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Endpoint.URL, look)
	if err != nil {
		return 0, err
	}
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/json")
	if w.agent != "" {
		req.Header.Set("User-Agent", w.agent)
	}
	if s.Endpoint.Kind == domain.WebhookStandard {
		ts := now.Unix()
		req.Header.Set("webhook-id", s.Delivery.MessageID)
		req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
		var sigs []string
		for _, secret := range s.Endpoint.Secrets(now) { // after a rotation, the old secret's too
			sigs = append(sigs, Sign(secret, s.Delivery.MessageID, ts, body))
		}
		req.Header.Set("webhook-signature", strings.Join(sigs, " "))
	}
	resp, err := w.http.Do(req)
	switch {
	case errors.Is(look.failed(), errWithheld):
		return 0, errWithheld
	case errors.Is(err, errPrivateTarget):
		return 0, errPrivateTarget
	case errors.Is(err, context.Canceled):
		// A shutdown's hard stop: River takes the job up again.
		return 0, fmt.Errorf("cut off by a shutdown: %w", context.Canceled)
	case err != nil && errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err):
		return 0, errors.New("no answer within 10 seconds")
	case err != nil:
		// What failed stays out of the log: its text would map the
		// network behind presale (which ports refuse, which hosts exist).
		return 0, errors.New("could not connect to the endpoint")
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("the endpoint answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// errWithheld is a delivery whose subject became private while it was
// being sent, before its body left.
var errWithheld = errors.New("withheld: private to the deal team now")

// lastLook is a body that asks check before its first byte is read (the
// connection made, the headers written) and gives nothing if it fails.
type lastLook struct {
	io.Reader
	check func() error
	once  sync.Once
	mu    sync.Mutex
	err   error
}

func (l *lastLook) Read(p []byte) (int, error) {
	l.once.Do(func() {
		err := l.check()
		l.mu.Lock()
		l.err = err
		l.mu.Unlock()
	})
	if err := l.failed(); err != nil {
		return 0, err
	}
	return l.Reader.Read(p)
}

// failed is what the last look found wrong, if it did.
func (l *lastLook) failed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// errPrivateTarget is a delivery refused as it connected: the endpoint's
// name led to a private address (it may have resolved otherwise when the
// endpoint was saved).
var errPrivateTarget = errors.New("not sent: the endpoint's address is on a private, loopback or link-local network")

// transport connects deliveries; unless private targets are allowed, it
// refuses to connect to a private address, checked on the address each
// connection is made to, after the name is resolved.
func transport(allowPrivate bool) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	d := &net.Dialer{Timeout: 10 * time.Second}
	if !allowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || domain.PrivateAddress(ap.Addr()) {
				return errPrivateTarget
			}
			return nil
		}
	}
	t.DialContext = d.DialContext
	return t
}

// sweepArgs is the periodic look for what has come due.
type sweepArgs struct{}

func (sweepArgs) Kind() string { return "reminder_sweep" }

func (sweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWebhooks, MaxAttempts: 3}
}

type sweepWorker struct {
	river.WorkerDefaults[sweepArgs]
	sender Sender
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[sweepArgs]) error {
	_, err := w.sender.SweepReminders(ctx)
	return err
}

// Sign is the Standard Webhooks signature of a message: HMAC-SHA256 over
// "id.timestamp.body" with the secret's bytes (the base64 after whsec_).
func Sign(secret, msgID string, ts int64, body []byte) string {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		key = []byte(secret)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", msgID, ts)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// For is the queue over presale's database, River's tables migrated
// under the migration lock.
func For(ctx context.Context, d *db.DB, cfg Config) (*Jobs, error) {
	w, err := d.Write.DB()
	if err != nil {
		return nil, err
	}
	cfg.SQLite = d.Dialect == db.SQLite
	j, err := New(w, cfg)
	if err != nil {
		return nil, err
	}
	return j, d.WhileLocked(ctx, func() error { return j.Migrate(ctx) })
}
