package io.farl.controller.teleop;

/** What an operator's device does besides moving the arm; called on the device's thread, must not block. */
public interface TeleopControls {

    /** The operator is done with the running episode. */
    void endEpisode();

    /** The IR failure happens now: mark the step running. */
    void markFailure();

    /** True: the operator drives; false: the gated policies drive (needs models). */
    void humanControl(boolean human);

    /** Switch between the operator and the gated policies. */
    void toggleControl();

    /** Stop recording. */
    void quit();
}
