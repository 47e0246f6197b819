package io.ravel.robustness.run;

import java.util.Random;

/**
 * One kind of fault. {@link #inject} does it to a part of the system it picks with {@code random}
 * (so a seed replays the same choices); {@link #heal} undoes it and may wait for the part to be up.
 */
public interface Fault {

    String name();

    void inject(Random random);

    void heal();

    /** Whether clients must keep getting answers while it lasts (a follower's fault leaves a majority). */
    default boolean serviceExpectedDuring() {
        return false;
    }

    static Fault of(String name, boolean serviceExpected, java.util.function.Consumer<Random> inject, Runnable heal) {
        return new Fault() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void inject(Random random) {
                inject.accept(random);
            }

            @Override
            public void heal() {
                heal.run();
            }

            @Override
            public boolean serviceExpectedDuring() {
                return serviceExpected;
            }
        };
    }
}
