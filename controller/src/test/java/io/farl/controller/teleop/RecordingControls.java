package io.farl.controller.teleop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test controls that note each call ("end", "mark", "human true", "toggle", "quit"). */
final class RecordingControls implements TeleopControls {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void endEpisode() {
        calls.add("end");
    }

    @Override
    public void markFailure() {
        calls.add("mark");
    }

    @Override
    public void humanControl(boolean human) {
        calls.add("human " + human);
    }

    @Override
    public void toggleControl() {
        calls.add("toggle");
    }

    @Override
    public void quit() {
        calls.add("quit");
    }
}
