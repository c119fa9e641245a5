'use client';
import { JobDashboard } from '../../components/jobs/JobDashboard';

/** The dashboard of the user's jobs. */
export default function JobsPage() {
  return (
    <>
      <h1>Jobs</h1>
      <p className="lead">Your analyses, newest first. This page updates by itself while jobs are queued or running.</p>
      <JobDashboard />
    </>
  );
}
