package dev.switchboard.distill;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The mean of several teachers' probabilities, {@code p = (1/M) Σ_m p_m}: ensembles are better
 * calibrated and usually more accurate than their members. The members must share their label list;
 * closing the ensemble closes them.
 */
public final class EnsembleTeacher implements Teacher {

    private final List<Teacher> members;

    private EnsembleTeacher(List<Teacher> members) {
        this.members = members;
    }

    /** @throws IllegalArgumentException if there are no members or their labels differ */
    public static EnsembleTeacher of(List<? extends Teacher> members) {
        Objects.requireNonNull(members, "members");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        List<String> labels = members.get(0).labels();
        for (Teacher m : members) {
            if (!m.labels().equals(labels)) {
                throw new IllegalArgumentException("ensemble member " + m.id() + " has other labels than " + members.get(0).id());
            }
        }
        return new EnsembleTeacher(List.copyOf(members));
    }

    @Override
    public String id() {
        return "ensemble(" + members.stream().map(Teacher::id).collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public String version() {
        return members.stream().map(m -> m.version() == null ? m.id() : m.version()).collect(Collectors.joining("+"));
    }

    @Override
    public List<String> labels() {
        return members.get(0).labels();
    }

    @Override
    public double[][] probabilities(List<String> texts) {
        double[][] mean = new double[texts.size()][labels().size()];
        for (Teacher m : members) {
            double[][] p = m.probabilities(texts);
            for (int i = 0; i < mean.length; i++) {
                for (int k = 0; k < mean[i].length; k++) {
                    mean[i][k] += p[i][k] / members.size();
                }
            }
        }
        return mean;
    }

    public List<Teacher> members() {
        return members;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (Teacher m : members) {
            try {
                m.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
