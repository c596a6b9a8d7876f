package jobs

import (
	"context"
	"database/sql"
	"errors"

	"github.com/riverqueue/river"

	"github.com/presale/presale/internal/domain"
)

// SendsEmail reports whether e-mail is set up.
func (j *Jobs) SendsEmail() bool { return j.mailer.mail != nil }

// EnqueueEmails queues notification e-mails in tx.
func (j *Jobs) EnqueueEmails(ctx context.Context, tx *sql.Tx, notificationIDs []int64) error {
	if tx == nil {
		return errors.New("e-mails are queued inside the change's transaction")
	}
	_, err := j.insert(ctx, tx, notificationIDs, func(id int64) river.JobArgs { return emailArgs{NotificationID: id} })
	return err
}

// EnqueueDigest queues a person's digest of a local day in tx.
func (j *Jobs) EnqueueDigest(ctx context.Context, tx *sql.Tx, userID int64, day string) error {
	_, err := j.client.InsertTx(ctx, tx, digestArgs{UserID: userID, Day: day}, nil)
	return err
}

// mailWorkers are what the e-mail jobs share.
type mailWorkers struct {
	mail   Mail
	sender Sender
}

type emailArgs struct {
	NotificationID int64 `json:"notification_id"`
}

func (emailArgs) Kind() string { return "email_notification" }

func (emailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueEmail, MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type emailWorker struct {
	river.WorkerDefaults[emailArgs]
	m *mailWorkers
}

// Work sends one notification by e-mail and marks it sent once the SMTP
// server has accepted it: a process killed in between sends it again
// after the restart, with the same Message-ID, so mail systems show one.
// Whether its person may still see what it tells of is asked now.
func (w *emailWorker) Work(ctx context.Context, job *river.Job[emailArgs]) error {
	if w.m.mail == nil {
		return river.JobCancel(errors.New("e-mail is not set up"))
	}
	id := job.Args.NotificationID
	e, skip, err := w.m.sender.EmailToSend(ctx, id)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return river.JobCancel(err)
	case err != nil:
		return err
	case skip:
		return nil
	}
	msg, err := w.m.mail.Notification(e)
	if err != nil {
		return river.JobCancel(err)
	}
	if err := w.m.mail.Send(ctx, msg); err != nil {
		return err
	}
	// Marked even when a shutdown cuts in now: the server has it.
	return w.m.sender.MarkEmailed(context.WithoutCancel(ctx), id)
}

type digestArgs struct {
	UserID int64  `json:"user_id"`
	Day    string `json:"day"`
}

func (digestArgs) Kind() string { return "email_digest" }

func (digestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueEmail, MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type digestWorker struct {
	river.WorkerDefaults[digestArgs]
	m *mailWorkers
}

// Work writes and sends a person's digest; nothing when nothing needs
// them.
func (w *digestWorker) Work(ctx context.Context, job *river.Job[digestArgs]) error {
	if w.m.mail == nil {
		return river.JobCancel(errors.New("e-mail is not set up"))
	}
	d, err := w.m.sender.Digest(ctx, job.Args.UserID, job.Args.Day)
	if err != nil {
		return err
	}
	if d.Empty() || !d.User.Active || !d.User.EmailDigest {
		return nil
	}
	msg, err := w.m.mail.Digest(d)
	if err != nil {
		return river.JobCancel(err)
	}
	return w.m.mail.Send(ctx, msg)
}

type digestSweepArgs struct{}

func (digestSweepArgs) Kind() string { return "digest_sweep" }

func (digestSweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueEmail, MaxAttempts: 3}
}

type digestSweepWorker struct {
	river.WorkerDefaults[digestSweepArgs]
	m *mailWorkers
}

func (w *digestSweepWorker) Work(ctx context.Context, _ *river.Job[digestSweepArgs]) error {
	_, err := w.m.sender.QueueDigests(ctx)
	return err
}
