package io.plugboard.ui;

import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.server.VaadinSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The API console's runs: one call per credential, a few at a time on virtual threads as the signed-in user, each
 * result shown as it arrives, with a progress bar, a Cancel button and the Run button held while a run lasts.
 * Leaving the page cancels what is still running.
 *
 * @param <R> one credential's result
 */
public final class ParallelRuns<R> extends Div {

    private static final Logger log = LoggerFactory.getLogger(ParallelRuns.class);

    private final int parallelism;
    private final Button run;
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar();
    private final Span progressText = new Span();
    private final List<Future<?>> running = new ArrayList<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private Runnable finished = () -> { };

    /** {@code run} is the view's Run button: it is disabled while a run lasts. */
    public ParallelRuns(int parallelism, Button run) {
        this.parallelism = parallelism;
        this.run = run;
        cancel.addClickListener(e -> stop());
        cancel.setEnabled(false);
        progress.setVisible(false);
        add(progress, progressText);
    }

    /** The Cancel button, for the view to place beside Run. */
    public Button cancelButton() {
        return cancel;
    }

    /**
     * Runs {@code call} for each id. {@code shown} receives each result on the UI thread, a failure's result made
     * by {@code failed} (every credential gets its result: an unexpected failure is shown, not lost in a Future);
     * {@code whenDone} runs on the UI thread once all have finished or the run is cancelled.
     */
    public void start(List<String> ids, Function<String, R> call, Function<String, R> failed,
                      BiConsumer<String, R> shown, Runnable whenDone) {
        UI ui = UI.getCurrent();
        var security = SecurityContextHolder.getContext();
        var session = VaadinSession.getCurrent();
        var done = new AtomicInteger();
        var slots = new Semaphore(parallelism);
        finished = whenDone;
        progress.setVisible(true);
        progress.setValue(0);
        progressText.setText("0 of " + ids.size());
        run.setEnabled(false);
        cancel.setEnabled(true);
        ui.setPollInterval(500);
        for (String id : ids) {
            running.add(executor.submit(() -> {
                try {
                    slots.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                SecurityContextHolder.setContext(security);
                VaadinSession.setCurrent(session);
                R result = null;
                try {
                    try {
                        result = call.apply(id);
                    } catch (RuntimeException e) {
                        log.warn("Console call for {} failed", id, e);
                        result = failed.apply(id);
                    }
                } finally {
                    slots.release();
                    done.incrementAndGet();
                    R row = result;
                    // ui.access usually runs the task right here, on this thread: the signed-in user must still be
                    // set, since the last update may reload data through a secured service. The count is read when
                    // the update runs, not when it was queued: updates from different threads may run out of
                    // order, and "2 of 3" must not overwrite "3 of 3".
                    try {
                        ui.access(() -> {
                            if (row != null) {
                                shown.accept(id, row);
                            }
                            progressUpdate(done.get(), ids.size());
                        });
                    } finally {
                        SecurityContextHolder.clearContext();
                        VaadinSession.setCurrent(null);
                    }
                }
            }));
        }
    }

    private void progressUpdate(int count, int total) {
        progress.setValue((double) count / total);
        progressText.setText(count + " of " + total);
        if (count == total && !running.isEmpty()) {
            finishRun();
        }
    }

    private void stop() {
        running.forEach(f -> f.cancel(true));
        finishRun();
        progressText.setText(progressText.getText() + " — cancelled");
    }

    private void finishRun() {
        running.clear();
        run.setEnabled(true);
        cancel.setEnabled(false);
        UI.getCurrent().setPollInterval(-1);
        finished.run();
    }

    @Override
    protected void onDetach(DetachEvent event) {
        running.forEach(f -> f.cancel(true));
        executor.shutdownNow();
    }
}
